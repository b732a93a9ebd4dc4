package bot_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/dialogs"
)

// faultIterations is how many rounds TestBotAPIRandomFaults runs: FAULT_ITERATIONS, or 1.
func faultIterations(t *testing.T) int {
	n, err := strconv.Atoi(os.Getenv("FAULT_ITERATIONS"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// dedup checks that got is want with some messages repeated right after themselves (a
// retry of a send whose answer was lost), and returns how many repeats there were. An
// empty problem means it is.
func dedup(want, got []string) (dups int, problem string) {
	i := 0
	for j, g := range got {
		switch {
		case i < len(want) && g == want[i]:
			i++
		case j > 0 && g == got[j-1]:
			dups++
		default:
			return dups, fmt.Sprintf("message %d is not the next expected one (%d of %d matched):\n%s", j, i, len(want), g)
		}
	}
	if i < len(want) {
		return dups, fmt.Sprintf("%d of %d messages arrived", i, len(want))
	}
	return dups, ""
}

// TestBotAPIRandomFaults: 30 chats × 12 updates while 15 % of all Bot API calls fail at
// random — 429 with retry_after, 500, a proxy's 502 page, answers slower than the
// client's 1 s timeout, connections dropped before and after the request took effect.
// Nothing crashes, no chat is stuck, every chat receives its replies in order; the only
// difference allowed is a message repeated right after itself, when a send whose answer
// was lost (dropped after, or too slow) was retried. Those duplicates are counted and
// reported. FAULT_ITERATIONS runs more rounds with other seeds.
func TestBotAPIRandomFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test")
	}
	for round := range faultIterations(t) {
		t.Run(fmt.Sprint("seed", round), func(t *testing.T) { randomFaultsRound(t, uint64(round)) })
	}
}

func randomFaultsRound(t *testing.T, seed uint64) {
	const nChats, perChat, firstID = 30, 12, int64(6001)
	h := newHarness(t)
	h.engineCfg.Now = func() time.Time { return stressClock }
	h.svc = &dialogs.Service{Engine: dialogs.NewEngine(h.engineCfg, h.db, nil), Store: h.db}
	h.tune = func(c *bot.TelegramConfig) { c.SendTimeout = time.Second }
	rng := rand.New(rand.NewPCG(seed, 77))
	model := dialogs.NewEngine(h.engineCfg, h.db, nil)
	chats := make([]*stressChat, nChats)
	for i := range chats {
		chats[i] = h.stressScript(rng, model, firstID+int64(i), perChat)
	}
	h.fake.InjectFaults(fakeapi.Faults{Rate: 0.15, Seed: seed + 1, RetryAfter: 1, Slow: 1500 * time.Millisecond})
	h.start()

	for i := range perChat {
		for _, k := range rng.Perm(nChats) {
			c := chats[k]
			st := c.steps[i]
			switch {
			case st.sticker:
				h.fake.SendSticker(c.id, c.id, fmt.Sprintf("sticker-%d-%d", c.id, i))
			case st.data != "":
				h.fake.PressButton(c.id, c.id, 900000+i, st.data)
			default:
				h.fake.SendText(c.id, c.id, st.text)
			}
		}
	}
	drained := func() bool {
		if h.fake.Pending() != 0 || !h.outboxEmpty() {
			return false
		}
		for _, c := range chats {
			if len(h.fake.Sent(c.id)) < len(c.want) {
				return false
			}
		}
		return true
	}
	// Bounded generously: a send that failed six times waits 30 s before it is tried again.
	if !h.fake.WaitFor(drained, 4*wait) {
		for _, c := range chats {
			if n := len(h.fake.Sent(c.id)); n < len(c.want) {
				t.Logf("chat %d: %d/%d messages", c.id, n, len(c.want))
			}
		}
		t.Fatalf("stuck: %d updates unconfirmed, outbox empty %v, faults %+v", h.fake.Pending(), h.outboxEmpty(), h.fake.FaultCounts())
	}
	h.fake.InjectFaults(fakeapi.Faults{})

	dups, total := 0, 0
	for _, c := range chats {
		total += len(c.want)
		d, problem := dedup(c.want, h.texts(c.id))
		if problem != "" {
			t.Errorf("chat %d: %s", c.id, problem)
		}
		dups += d
	}
	fc := h.fake.FaultCounts()
	if dups > fc.DroppedAfter+fc.Slow {
		t.Errorf("%d duplicates, more than the %d answers lost after a send took effect", dups, fc.DroppedAfter+fc.Slow)
	}
	for _, bad := range []string{"panicked", "giving up on an update", "dropped"} {
		if h.logs.has(bad) {
			t.Errorf("log has %q", bad)
		}
	}
	calls := 0
	for _, m := range []string{"getUpdates", "sendMessage", "answerCallbackQuery", "getChat", "setMyCommands", "deleteMyCommands"} {
		calls += h.fake.Requests(m)
	}
	if fc.Total() == 0 || fc.DroppedAfter == 0 {
		t.Errorf("faults %+v: the test did not exercise what it claims", fc)
	}
	t.Logf("FIGURES bot-api-faults seed=%d calls=%d faults=%d (%.0f%%) %+v replies=%d duplicates=%d",
		seed, calls, fc.Total(), 100*float64(fc.Total())/float64(max(calls, 1)), fc, total, dups)
}

// TestRevokedTokenKeepsMessages: while the Bot API refuses the token (401) or the
// endpoint (404), replies are not dropped: they wait, the log says why in plain words,
// and they are delivered, in order, once the API accepts them again.
func TestRevokedTokenKeepsMessages(t *testing.T) {
	for _, code := range []int{401, 404} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			chat := int64(1800 + code)
			h := newHarness(t)
			h.start()
			h.waitPolling()
			want := h.wantTexts(chat, "/help", "/status")
			h.fake.FailNext("sendMessage", 1, code, 0)
			h.fake.SendText(chat, chat, "/help")
			h.waitRequests("sendMessage", 1)
			if !h.fake.WaitFor(func() bool { return h.logs.has("refuses the token or the endpoint", fmt.Sprintf("code=%d", code)) }, wait) {
				t.Fatalf("no plain log line about the refusal:\n%s", h.logs.String())
			}
			if h.outboxEmpty() {
				t.Fatal("the refused reply was dropped from the outbox")
			}
			// The API works again; the chat's next update claims it and sends what waited first.
			h.fake.SendText(chat, chat, "/status")
			if diff := cmp.Diff(want, h.waitTexts(chat, len(want))); diff != "" {
				t.Errorf("delivered (-want +got):\n%s", diff)
			}
			if h.logs.has("dropped") {
				t.Errorf("a message was dropped:\n%s", h.logs.String())
			}
		})
	}
}

// TestPollingReportsRevokedToken: getUpdates refused with 401 is logged in plain words,
// retried, and polling goes on once the token is accepted again.
func TestPollingReportsRevokedToken(t *testing.T) {
	const chat = 1901
	h := newHarness(t)
	h.fake.FailNext("getUpdates", 2, 401, 0)
	h.start()
	h.fake.SendText(chat, chat, "/help")
	want := h.wantTexts(chat, "/help")
	if diff := cmp.Diff(want, h.waitTexts(chat, len(want))); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	n := strings.Count(h.logs.String(), "the Bot API refuses the token: check TELEGRAM_BOT_TOKEN")
	if n != 2 {
		t.Errorf("%d plain lines about the refused token, want 2:\n%s", n, h.logs.String())
	}
}
