package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
)

// seedCheckins stores n cases closed as settled, for the private chats first, first+1 …,
// each with a check-in due now and its job, as a closure would leave them.
func (h *harness) seedCheckins(first int64, n int) []string {
	h.t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var numbers []string
	for i := range n {
		chat := first + int64(i)
		h.fake.AddChat(chat, "private")
		number := fmt.Sprintf("JC-2026-%06d", i+1)
		c := dialogs.Case{Number: number, Version: 1, ChatID: chat, UserID: chat, Lang: dialogs.LangZh, Status: dialogs.StatusClosed,
			Submitted: now.Add(-48 * time.Hour), Closed: now.Add(-time.Hour), Outcome: dialogs.OutcomeSettled,
			History:  []dialogs.Event{{Time: now.Add(-time.Hour), Action: dialogs.ActClose, Status: dialogs.StatusClosed, Note: "镇政府月底前付款"}},
			Checkins: []dialogs.Checkin{{N: 1, Due: now}}}
		j := dialogs.Job{ID: number + "/ci/1", Kind: dialogs.JobCheckin, Case: number, Chat: chat, N: 1, Due: now}
		key := dialogs.SessionKey{Chat: chat, User: chat}
		if _, err := h.db.Commit(ctx, key, "seed:"+number, 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}, Schedule: []dialogs.Job{j}}); err != nil {
			h.t.Fatal(err)
		}
		numbers = append(numbers, number)
	}
	return numbers
}

func (h *harness) checkin(number string) dialogs.Checkin {
	h.t.Helper()
	c, err := h.db.Get(context.Background(), number)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Checkins[0]
}

// withTimers makes the transports fire timed jobs, rate proactive messages a second, at
// any hour.
func (h *harness) withTimers(rate float64) {
	h.engineCfg.Followup.Hours = dialogs.Hours{From: 0, To: 24 * 60}
	h.svc = &dialogs.Service{Engine: dialogs.NewEngine(h.engineCfg, h.db, nil), Store: h.db}
	h.timers = &bot.Timers{Jobs: h.db, Fire: h.db.FirePacer(rate, bot.SlotTolerance), Send: h.db.Pacer(rate, bot.SlotTolerance), Every: 100 * time.Millisecond}
}

// TestCheckinToABlockedChat: Telegram refuses the check-in (the petitioner blocked the
// bot): it is tried once, recorded as unreachable, and no reminder is planned.
func TestCheckinToABlockedChat(t *testing.T) {
	h := newHarness(t)
	h.withTimers(100)
	number := h.seedCheckins(2001, 1)[0]
	h.fake.Block(2001)
	h.start()
	if !h.fake.WaitFor(func() bool { return h.checkin(number).Result == dialogs.CheckinUnreachable }, wait) {
		t.Fatalf("check-in %+v, want unreachable", h.checkin(number))
	}
	time.Sleep(300 * time.Millisecond) // a retry would come by now
	if n := h.sendsTo(2001); n != 1 {
		t.Fatalf("%d attempts to a blocked chat, want 1", n)
	}
	jobs, _ := h.db.PendingJobs(context.Background())
	if len(jobs) != 0 {
		t.Fatalf("jobs left: %+v", jobs)
	}
}

// TestCheckinThroughFailures: 5xx and network errors are retried with backoff and a 429
// waits retry_after; the check-in arrives once.
func TestCheckinThroughFailures(t *testing.T) {
	h := newHarness(t)
	h.withTimers(100)
	number := h.seedCheckins(2101, 1)[0]
	h.fake.FailNext("sendMessage", 1, 502, 0)
	h.fake.FailNext("sendMessage", 1, 0, 0)
	h.fake.FailNext("sendMessage", 1, 429, 1)
	h.start()
	if !h.fake.WaitSent(2101, 1, wait) {
		t.Fatal("the check-in did not arrive")
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(h.fake.Sent(2101)); n != 1 {
		t.Fatalf("%d check-ins arrived", n)
	}
	if got := h.checkin(number); got.Sent.IsZero() || got.Result != "" {
		t.Fatalf("check-in %+v", got)
	}
}

// TestTwoProcessesShareTheSchedule: two bot processes on one Redis (one polling, one only
// sending) fire 60 due check-ins between them: each arrives exactly once.
func TestTwoProcessesShareTheSchedule(t *testing.T) {
	h := newHarness(t)
	h.withTimers(500)
	numbers := h.seedCheckins(3001, 60)
	h.start()
	h.startWith(true)
	all := func() bool {
		for i := range numbers {
			if len(h.fake.Sent(3001+int64(i))) == 0 {
				return false
			}
		}
		return true
	}
	if !h.fake.WaitFor(all, wait) {
		t.Fatal("not every check-in arrived")
	}
	time.Sleep(500 * time.Millisecond) // a duplicate would arrive by now
	for i, number := range numbers {
		chat := 3001 + int64(i)
		if n := h.sendsTo(chat); n != 1 {
			t.Errorf("chat %d: %d sends", chat, n)
		}
		if h.checkin(number).Sent.IsZero() {
			t.Errorf("%s: not recorded as sent", number)
		}
	}
}

// TestInFlightIsNotResent: a timed message its sender had begun to send when it stopped
// (marked in flight) is not sent again by the next sender; it is logged and dropped from
// the outbox.
func TestInFlightIsNotResent(t *testing.T) {
	h := newHarness(t)
	const chat = 2201
	h.fake.AddChat(chat, "private")
	ctx := context.Background()
	d := dialogs.Delivery{ID: "job:x@1/0", To: dialogs.ToChat(chat), Proactive: true,
		Msg: dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{dialogs.T("checkin.question")}}}
	batches, err := h.db.Commit(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "job:x@1", 0, dialogs.Effects{Deliveries: []dialogs.Delivery{d}})
	if err != nil || len(batches) != 1 {
		t.Fatal(batches, err)
	}
	if err := h.db.Mark(ctx, batches[0], d.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.db.Done(ctx, batches[0], dialogs.Sent{RetryIn: 1}); err != nil { // as a crash leaves it, once the lease expired
		t.Fatal(err)
	}
	h.start()
	if !h.fake.WaitFor(h.outboxEmpty, wait) {
		t.Fatal("the outbox was not cleared")
	}
	if n := h.sendsTo(chat); n != 0 {
		t.Fatalf("sent %d times", n)
	}
	if !h.logs.has("not sent again", "job:x@1/0") {
		t.Fatalf("no log line: %s", h.logs.String())
	}
}

// TestRepliesDoNotWaitBehindCheckins: while 40 check-ins are paced at 10 a second, a
// petitioner's /start is answered without waiting for them.
func TestRepliesDoNotWaitBehindCheckins(t *testing.T) {
	h := newHarness(t)
	h.withTimers(10)
	h.seedCheckins(4001, 40)
	h.start()
	h.waitPolling()
	if !h.fake.WaitSent(4001, 1, wait) {
		t.Fatal("no check-in went out")
	}
	const user = 4999
	h.fake.SendText(user, user, "/start")
	if !h.fake.WaitSent(user, 1, wait) {
		t.Fatal("no answer")
	}
	sent := 0
	for i := range 40 {
		sent += len(h.fake.Sent(4001 + int64(i)))
	}
	if sent == 40 {
		t.Fatalf("the reply came only after every check-in (%d sent)", sent)
	}
	t.Logf("the reply came with %s check-ins out of 40 sent", strconv.Itoa(sent))
}
