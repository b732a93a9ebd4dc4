package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// BenchmarkCheckinsDueAtOnce: 10,000 check-ins fall due at once; two bot processes share
// one Redis (one polls, the other only sends and fires jobs) and send them against the
// fake Bot API at FOLLOWUP_RATE (BENCH_FOLLOWUP_RATE, default 200 a second, to keep the
// run short). It fails unless every check-in arrives exactly once, and reports, from the
// fake API's own arrival times: the highest number of check-ins in any one-second
// window (max_per_1s, against the configured rate), the mean rate, and how long
// petitioners' /start messages sent meanwhile waited for their answer (reply_ms, the
// slowest of five). Run it once: go test -bench CheckinsDueAtOnce -benchtime 1x.
func BenchmarkCheckinsDueAtOnce(b *testing.B) {
	n := 10_000
	if v := os.Getenv("BENCH_CHECKINS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	rate := 200.0
	if v := os.Getenv("BENCH_FOLLOWUP_RATE"); v != "" {
		rate, _ = strconv.ParseFloat(v, 64)
	}
	for range b.N {
		fake, rdb, prefix := newFake(b, "supergroup")
		db := store.New(rdb, store.Options{Prefix: prefix})
		ctx := context.Background()
		now := time.Now().UTC()
		first := int64(100_000)
		for i := range n {
			chat := first + int64(i)
			fake.AddChat(chat, "private")
			number := fmt.Sprintf("JC-2026-%06d", i+1)
			c := dialogs.Case{Number: number, Version: 1, ChatID: chat, UserID: chat, Lang: dialogs.LangZh, Status: dialogs.StatusClosed,
				Submitted: now.Add(-48 * time.Hour), Closed: now.Add(-time.Hour), Outcome: dialogs.OutcomeSettled,
				History:  []dialogs.Event{{Time: now.Add(-time.Hour), Action: dialogs.ActClose, Status: dialogs.StatusClosed, Note: "镇政府月底前付款"}},
				Checkins: []dialogs.Checkin{{N: 1, Due: now}}}
			j := dialogs.Job{ID: number + "/ci/1", Kind: dialogs.JobCheckin, Case: number, Chat: chat, N: 1, Due: now}
			if _, err := db.Commit(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "seed:"+number, 0,
				dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}, Schedule: []dialogs.Job{j}}); err != nil {
				b.Fatal(err)
			}
		}
		extra := []string{"FOLLOWUP_HOURS", "00:00-24:00", "FOLLOWUP_RATE", strconv.FormatFloat(rate, 'f', -1, 64), "STAFF_DIGEST_AT", "off"}
		b.ResetTimer()
		start := time.Now()
		runBot(b, env(fake, prefix, extra...))
		runBot(b, env(fake, prefix, append(extra, "TELEGRAM_POLL", "off")...))

		var replies []time.Duration
		user := int64(9_000)
		for len(replies) < 5 {
			time.Sleep(time.Duration(float64(n)/rate/8) * time.Second)
			user++
			asked := time.Now()
			fake.SendText(user, user, "/start")
			if !fake.WaitSent(user, 1, wait) {
				b.Fatal("a petitioner's message was not answered")
			}
			replies = append(replies, answeredAt(fake.Calls("sendMessage"), fake.CallTimes("sendMessage"), user).Sub(asked))
		}
		for fake.Requests("sendMessage") < n+len(replies) {
			if time.Since(start) > time.Duration(float64(n)/rate*3)*time.Second+time.Minute {
				b.Fatalf("%d of %d check-ins sent", fake.Requests("sendMessage")-len(replies), n)
			}
			time.Sleep(500 * time.Millisecond)
		}
		elapsed := time.Since(start)
		time.Sleep(2 * time.Second) // a duplicate would arrive by now
		b.StopTimer()

		calls, times := fake.Calls("sendMessage"), fake.CallTimes("sendMessage")
		perChat := map[int64]int{}
		var sends []time.Time
		for i, p := range calls {
			chat, _ := strconv.ParseInt(p.Get("chat_id"), 10, 64)
			if chat >= first && chat < first+int64(n) {
				perChat[chat]++
				sends = append(sends, times[i])
			}
		}
		for i := range n {
			if got := perChat[first+int64(i)]; got != 1 {
				b.Fatalf("chat %d got %d check-ins, want exactly 1", first+int64(i), got)
			}
		}
		slices.SortFunc(sends, func(a, b time.Time) int { return a.Compare(b) })
		if testing.Verbose() {
			logDensest(b, sends, time.Second)
		}
		b.ReportMetric(float64(maxInWindow(sends, time.Second)), "max_per_1s")
		b.ReportMetric(float64(len(sends)-1)/sends[len(sends)-1].Sub(sends[0]).Seconds(), "msgs/s")
		b.ReportMetric(float64(slices.Max(replies).Milliseconds()), "reply_ms")
		b.ReportMetric(rate, "configured/s")
		b.ReportMetric(elapsed.Seconds(), "total_s")
	}
}

// answeredAt is when the first sendMessage to chat arrived.
func answeredAt(calls []url.Values, times []time.Time, chat int64) time.Time {
	id := strconv.FormatInt(chat, 10)
	for i, p := range calls {
		if v := p["chat_id"]; len(v) > 0 && v[0] == id {
			return times[i]
		}
	}
	return time.Time{}
}

// logDensest logs the arrival times of the densest one-second window, relative to its
// start.
func logDensest(b *testing.B, ts []time.Time, w time.Duration) {
	best, from, j := 0, 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		if i-j+1 > best {
			best, from = i-j+1, j
		}
	}
	var gaps []string
	for _, t := range ts[from : from+best] {
		gaps = append(gaps, strconv.FormatInt(t.Sub(ts[from]).Milliseconds(), 10))
	}
	b.Logf("densest window (%d) at +%s: %v", best, ts[from].Sub(ts[0]), gaps)
}

// maxInWindow is the largest number of sorted times within any window of length w.
func maxInWindow(ts []time.Time, w time.Duration) int {
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}
