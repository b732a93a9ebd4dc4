package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRateLimitHonoured: a 429 on sendMessage is retried after its retry_after (2s,
// longer than the 1s backoff the bot uses for other failures), and the message arrives
// exactly once.
func TestRateLimitHonoured(t *testing.T) {
	const chat = 901
	h := newHarness(t)
	h.start()
	h.waitPolling()
	want := h.wantTexts(chat, "/help")
	h.fake.FailNext("sendMessage", 1, 429, 2)
	sent := time.Now()
	h.fake.SendText(chat, chat, "/help")
	got := h.waitTexts(chat, len(want))
	waited := time.Since(sent)

	// A sentinel: the chat is answered in order, so a duplicate would come before it.
	h.fake.SendText(chat, chat, "/status")
	want = h.wantTexts(chat, "/help", "/status")
	got = h.waitTexts(chat, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript (-want +got):\n%s", diff)
	}
	if n := h.sendsTo(chat); n != len(want)+1 {
		t.Errorf("%d sendMessage requests, want %d (one refused with 429)", n, len(want)+1)
	}
	// A lower bound only: the retry cannot come before retry_after has passed.
	if waited < 2*time.Second {
		t.Errorf("the message arrived %v after the update, before retry_after (2s) had passed", waited)
	}
}

// TestTransientSendFailuresRetried: a 500, a proxy's non-JSON 502/504 page and a dropped
// connection on sendMessage are retried, and the message arrives exactly once.
func TestTransientSendFailuresRetried(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int // FailNext code; 0 drops the connection
	}{
		{"500 JSON error", 500},
		{"502 HTML page", 502},
		{"504 HTML page", 504},
		{"dropped connection", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const chat = 1001
			h := newHarness(t)
			h.start()
			h.waitPolling()
			h.fake.FailNext("sendMessage", 1, tc.code, 0)
			h.fake.SendText(chat, chat, "/help")
			h.fake.SendText(chat, chat, "/status")
			want := h.wantTexts(chat, "/help", "/status")
			got := h.waitTexts(chat, len(want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("transcript (-want +got):\n%s", diff)
			}
			if n := h.sendsTo(chat); n != len(want)+1 {
				t.Errorf("%d sendMessage requests, want %d (one failed)", n, len(want)+1)
			}
		})
	}
}

// TestBlockedUserDoesNotStallOthers: sends to a user who blocked the bot are refused
// (403); each message is tried once, dropped from the outbox with a log line, and other
// chats are answered.
func TestBlockedUserDoesNotStallOthers(t *testing.T) {
	const blocked, other = 1101, 1102
	h := newHarness(t)
	h.fake.Block(blocked)
	h.fake.SendText(blocked, blocked, "/start")
	last := h.fake.SendText(blocked, blocked, "/help")
	h.fake.SendText(other, other, "/start")
	h.start()

	want := h.wantTexts(other, "/start")
	if diff := cmp.Diff(want, h.waitTexts(other, len(want))); diff != "" {
		t.Errorf("other chat (-want +got):\n%s", diff)
	}
	dropped := len(h.wantTexts(blocked, "/start", "/help"))
	ok := h.fake.WaitFor(func() bool {
		return h.fake.Confirmed() >= last && h.outboxEmpty() && h.sendsTo(blocked) >= dropped
	}, wait)
	if !ok {
		t.Fatalf("blocked chat not drained: confirmed %d/%d, outbox empty %v, %d sends",
			h.fake.Confirmed(), last, h.outboxEmpty(), h.sendsTo(blocked))
	}
	if n := h.sendsTo(blocked); n != dropped {
		t.Errorf("%d sends to the blocked chat, want %d (each message once, no retries)", n, dropped)
	}
	if !h.logs.has("dropped", fmt.Sprintf("chat=%d", blocked), "code=403") {
		t.Errorf("no log line about the dropped message")
	}
}

// TestSlowChatDoesNotStallPolling: while one chat's reply waits out a long 429, a chat
// that writes afterwards is still answered (sending has its own per-chat queue, and the
// poller never waits for sends).
func TestSlowChatDoesNotStallPolling(t *testing.T) {
	const slow, other = 1201, 1202
	h := longPoll(t)
	r := h.start()
	t.Cleanup(r.cancelSend) // cut the 30s wait short at the end
	h.waitPolling()
	h.fake.FailNext("sendMessage", 1, 429, 30)
	h.fake.SendText(slow, slow, "/help")
	h.waitRequests("sendMessage", 1) // refused: the slow chat now waits 30s
	h.waitPolling()
	id := h.fake.SendText(slow, slow, "/status")
	if !h.fake.WaitFor(func() bool { return h.fake.Confirmed() >= id }, wait) { // returned, handled, confirmed
		t.Fatal("the open poll did not return the update")
	}
	h.fake.SendText(other, other, "/help")
	want := h.wantTexts(other, "/help")
	if !h.fake.WaitSent(other, len(want), 5*time.Second) {
		t.Fatal("a chat was not answered while another chat waited out a 429")
	}
}
