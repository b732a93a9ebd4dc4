package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// longPoll makes getUpdates calls stay open until an update arrives, so a test knows
// which request an injected getUpdates failure hits.
func longPoll(t *testing.T) *harness {
	h := newHarness(t, fakeapi.WithMaxPollWait(time.Minute))
	h.poll = 50 * time.Second
	return h
}

// TestRedeliveredUpdateHasNoSecondEffect: an update handled and answered but never
// confirmed (every confirming getUpdates fails, then the transport stops) is delivered
// again to a new transport, which must not answer it a second time.
func TestRedeliveredUpdateHasNoSecondEffect(t *testing.T) {
	const chat = 501
	h := longPoll(t)
	first := h.start()
	h.waitPolling()
	polls := h.fake.Requests("getUpdates")
	// The poll after the update (which would confirm it) and the confirmation at shutdown.
	h.fake.FailNext("getUpdates", 2, 429, 30)
	id := h.fake.SendText(chat, chat, "/start")
	want := h.wantTexts(chat, "/start")
	h.waitTexts(chat, len(want))
	h.waitRequests("getUpdates", polls+1) // the failed confirmation; the bot now waits 30s
	if err := first.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if h.fake.Pending() != 1 || h.fake.Confirmed() >= id {
		t.Fatalf("the update should be unconfirmed: pending %d, confirmed %d, id %d", h.fake.Pending(), h.fake.Confirmed(), id)
	}

	h.start()
	// The chat's updates are handled in order, so /help's reply comes after any duplicate.
	h.fake.SendText(chat, chat, "/help")
	want = h.wantTexts(chat, "/start", "/help")
	got := h.waitTexts(chat, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transcript after redelivery (-want +got):\n%s", diff)
	}
	if !h.fake.WaitFor(func() bool { return h.fake.Confirmed() >= id }, wait) {
		t.Errorf("the redelivered update %d was not confirmed", id)
	}
}

// TestChatsAnsweredInOrder: updates of two chats sent in one burst, interleaved, are
// answered in each chat exactly as if typed one at a time.
func TestChatsAnsweredInOrder(t *testing.T) {
	const chatA, chatB = 601, 602
	h := newHarness(t)
	inputsA := []string{"/help", "/privacy", "/lang", "/nonsense", "/status", "/start"}
	inputsB := []string{"/start", "/status", "/nonsense", "/lang", "/privacy", "/help"}
	wantA, wantB := h.wantTexts(chatA, inputsA...), h.wantTexts(chatB, inputsB...)
	for i := range inputsA {
		h.fake.SendText(chatA, chatA, inputsA[i])
		h.fake.SendText(chatB, chatB, inputsB[i])
	}
	h.start()
	for _, c := range []struct {
		chat int64
		want []string
	}{{chatA, wantA}, {chatB, wantB}} {
		got := h.waitTexts(c.chat, len(c.want))
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("chat %d transcript (-want +got):\n%s", c.chat, diff)
		}
	}
}

// TestGroupMessagesIgnored: messages in groups, supergroups, channels and the staff chat
// get no answer; a private chat handled after them does.
func TestGroupMessagesIgnored(t *testing.T) {
	const private = 701
	h := newHarness(t)
	groups := []struct {
		id  int64
		typ string
	}{{-701, "group"}, {-100701, "supergroup"}, {-100702, "channel"}}
	last := 0
	for _, g := range groups {
		h.fake.AddChat(g.id, g.typ)
		h.fake.SendText(g.id, 7001, "/start")
		h.fake.SendText(g.id, 7001, "hello")
		last = h.fake.SendText(g.id, 7001, "/help")
	}
	h.fake.SendText(private, private, "/start")
	h.start()
	h.waitTexts(private, len(h.wantTexts(private, "/start")))
	if !h.fake.WaitFor(func() bool { return h.fake.Confirmed() >= last }, wait) {
		t.Fatalf("group updates not confirmed: confirmed %d, last %d", h.fake.Confirmed(), last)
	}
	for _, g := range groups {
		if got := h.texts(g.id); len(got) != 0 {
			t.Errorf("%s %d got messages: %q", g.typ, g.id, got)
		}
	}
	// In the staff chat, someone who is not staff gets one plain refusal per command, and
	// the bot stays out of the group's conversation.
	h.fake.SendText(staffChat, 7001, "/start")
	h.fake.SendText(staffChat, 7001, "hello")
	h.fake.SendText(staffChat, 7001, "/queue")
	got := h.waitTexts(staffChat, 2)
	if len(got) != 2 || got[0] != got[1] || !strings.Contains(got[0], "⛔") {
		t.Errorf("staff chat, a non-staff member: %q", got)
	}
	if !h.logs.has("refused a staff action", "user=7001") {
		t.Error("the refusal was not logged")
	}
}

// TestRunStops: Run returns nil soon after its context is cancelled, interrupting an open
// long poll, and confirms the updates it handled even when the last poll failed.
func TestRunStops(t *testing.T) {
	t.Run("idle long poll", func(t *testing.T) {
		h := longPoll(t)
		r := h.start()
		h.waitPolling()
		if err := r.stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
	})
	t.Run("handled update confirmed at stop", func(t *testing.T) {
		const chat = 801
		h := longPoll(t)
		r := h.start()
		h.waitPolling()
		polls := h.fake.Requests("getUpdates")
		h.fake.FailNext("getUpdates", 1, 429, 30) // the poll that would confirm the update
		h.fake.SendText(chat, chat, "/help")
		h.waitTexts(chat, len(h.wantTexts(chat, "/help")))
		h.waitRequests("getUpdates", polls+1)
		if h.fake.Pending() != 1 {
			t.Fatalf("%d updates pending before the stop, want 1", h.fake.Pending())
		}
		if err := r.stop(); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if n := h.fake.Pending(); n != 0 {
			t.Errorf("%d handled updates left unconfirmed", n)
		}
	})
}
