package main

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// limitedMethods are the Bot API calls Telegram counts against a chat's message budget.
var limitedMethods = []string{"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"}

// BenchmarkTurnLatency runs the real program against the fake Bot API with the default
// rate limits (one message a second per chat, bursts of 3) while one user goes through a
// whole application, answering every reply at once. It reports the API calls counted
// against the chat per turn (one message per turn is 1.0) and the latency of a turn, from
// the user's action to the bot's answer, at the median and the 95th percentile. Times are
// reported, never asserted. Run: go test -run '^$' -bench TurnLatency -benchtime 1x ./cmd/petitionbot/
func BenchmarkTurnLatency(b *testing.B) {
	fake, _, prefix := newFake(b, "supergroup")
	runBot(b, env(fake, prefix, "TELEGRAM_CHAT_RATE", "1", "TELEGRAM_GROUP_RATE", "18", "TELEGRAM_GLOBAL_RATE", "25"))
	if !fake.WaitFor(fake.Polling, wait) {
		b.Fatal("the bot did not start polling")
	}
	var lat []time.Duration
	calls, turns := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := int64(20_000 + i)
		c := &chat{fake: fake, id: id}
		before := limitedCalls(fake, id)
		for _, tr := range append(fakeapi.ApplicationScript(recentServiceDate(), 0), fakeapi.Step{Text: "/status"}) {
			n := len(fake.Sent(id))
			start := time.Now()
			switch {
			case tr.Press != "":
				m, ok := c.latestButtons()
				if !ok || buttonData(m, tr.Press) == "" {
					b.Fatalf("no button %s: %s", tr.Press, tail(fake.Sent(id)))
				}
				fake.PressButton(id, id, m.MessageID, buttonData(m, tr.Press))
			case tr.Photo != "":
				fake.SendPhoto(id, id, tr.Photo)
			default:
				fake.SendText(id, id, tr.Text)
			}
			if !fake.WaitFor(func() bool { return len(fake.Sent(id)) > n }, wait) {
				b.Fatalf("no answer to %+v", tr)
			}
			lat = append(lat, time.Since(start))
			turns++
		}
		calls += limitedCalls(fake, id) - before
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(calls)/float64(turns), "calls/turn")
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "ms-p50/turn")
	b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "ms-p95/turn")
	b.ReportMetric(0, "ns/op")
}

// limitedCalls counts the calls to chat that Telegram counts against its message budget.
func limitedCalls(fake *fakeapi.Server, chat int64) int {
	id := strconv.FormatInt(chat, 10)
	n := 0
	for _, m := range limitedMethods {
		for _, p := range fake.Calls(m) {
			if p.Get("chat_id") == id {
				n++
			}
		}
	}
	return n
}
