package bot_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
)

// press is one step of a chat: a typed text, or a button press with data.
type press struct {
	text, data string
	msg        int // 0: the latest message with buttons; n > 0: the chat's n-th message; -1: unknown
}

// TestEveryCallbackAnswered: each button press is answered exactly once with
// answerCallbackQuery and gets a reply, whether the button is current, outdated, forged,
// or under a message the bot never sent; presses in a group are answered and ignored. Old
// keyboards are not removed (that would spend the chat's message budget): a stale press is
// refused by the engine instead.
func TestEveryCallbackAnswered(t *testing.T) {
	h := newHarness(t)
	h.start()
	for i, tc := range []struct {
		name  string
		steps []press
	}{
		{"current button", []press{{text: "/start"}, {data: "m:apply"}}},
		{"outdated button", []press{{text: "/start"}, {data: "m:apply"}, {data: "f:consent:yes"}, {data: "f:consent:yes", msg: 2}}},
		{"menu of an old message", []press{{text: "/start"}, {data: "m:apply"}, {data: "m:ask", msg: 1}}},
		{"forged data", []press{{data: "zz:nothing", msg: -1}}},
		{"step long gone", []press{{data: "f:mediation:yes", msg: -1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := int64(1300 + i)
			var inputs []dialogs.Input
			for _, s := range tc.steps {
				var ids []string
				if s.text != "" {
					h.fake.SendText(chat, chat, s.text)
					inputs = append(inputs, dialogs.Input{Kind: dialogs.KindText, Text: s.text})
				} else {
					var id string
					id, _ = pressOn(t, h, chat, s)
					ids = append(ids, id)
					inputs = append(inputs, dialogs.Input{Kind: dialogs.KindButton, Data: s.data})
				}
				want := h.want(chat, inputs...)
				if diff := cmp.Diff(want, h.waitTexts(chat, len(want))); diff != "" {
					t.Fatalf("transcript (-want +got):\n%s", diff)
				}
				for _, id := range ids {
					waitAnswered(t, h, id)
				}
			}
		})
	}
	if n := h.fake.Requests("editMessageReplyMarkup"); n != 0 {
		t.Errorf("%d editMessageReplyMarkup calls: old keyboards must not cost a message", n)
	}
	t.Run("group", func(t *testing.T) {
		const group = -1301
		h.fake.AddChat(group, "group")
		waitAnswered(t, h, h.fake.PressButton(group, 1399, 77, "m:apply"))
		if got := h.texts(group); len(got) != 0 {
			t.Errorf("the bot wrote in the group: %q", got)
		}
	})
}

// pressOn presses s.data and returns the callback query id and the id of the pressed
// message (0 for a message the bot never sent).
func pressOn(t *testing.T, h *harness, chat int64, s press) (string, int) {
	t.Helper()
	sent := h.fake.Sent(chat)
	switch {
	case s.msg < 0:
		return h.fake.PressButton(chat, chat, 9999, s.data), 0
	case s.msg > 0:
		id := sent[s.msg-1].MessageID
		return h.fake.PressButton(chat, chat, id, s.data), id
	}
	for i := len(sent) - 1; i >= 0; i-- {
		if len(sent[i].Buttons) > 0 {
			id := sent[i].MessageID
			return h.fake.PressButton(chat, chat, id, s.data), id
		}
	}
	t.Fatal("nothing to press on")
	return "", 0
}

// waitAnswered waits until the callback query id was answered, and checks it was
// answered by exactly one request.
func waitAnswered(t *testing.T, h *harness, id string) {
	t.Helper()
	if !h.fake.WaitFor(func() bool { return slices.Contains(h.fake.AnsweredCallbacks(), id) }, wait) {
		t.Fatalf("callback %s not answered", id)
	}
	n := 0
	for _, p := range h.fake.Calls("answerCallbackQuery") {
		if p.Get("callback_query_id") == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("callback %s answered by %d requests, want 1", id, n)
	}
}

// TestUnsupportedMessagesAnswered: stickers, voice messages and locations get the
// engine's reply for that kind, never silence.
func TestUnsupportedMessagesAnswered(t *testing.T) {
	h := newHarness(t)
	h.start()
	for i, tc := range []struct {
		kind string
		send func(chat int64)
	}{
		{"sticker", func(c int64) { h.fake.SendSticker(c, c, "sticker-1") }},
		{"voice", func(c int64) { h.fake.SendVoice(c, c, "voice-1") }},
		{"location", func(c int64) { h.fake.SendLocation(c, c, 27.3, 105.3) }},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			chat := int64(1400 + i)
			tc.send(chat)
			want := h.want(chat, dialogs.Input{Kind: dialogs.KindUnsupported, Unsupported: tc.kind})
			if len(want) == 0 {
				t.Fatal("the engine gives no reply to compare with")
			}
			if diff := cmp.Diff(want, h.waitTexts(chat, len(want))); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLongMessageSplit: a message far over 4096 characters (escaped user text with
// astral emoji, one paragraph without any line break) waiting in the outbox is sent in
// parts of at most bot.MaxText UTF-16 units, all accepted, with nothing lost and the
// buttons on the last part only.
func TestLongMessageSplit(t *testing.T) {
	const chat = 1501
	h := newHarness(t)
	h.fake.AddChat(chat, "private") // the chat never wrote: it exists only once added
	unit := "事实 <b>& 🙂 "
	value := strings.Repeat(unit, 200) + "\n\n" + strings.Repeat(unit, 500) + "\n" + strings.Repeat(unit, 200)
	m := dialogs.Message{
		Lang: dialogs.LangEn,
		Parts: []dialogs.Text{
			dialogs.T("review.title"),
			dialogs.T("review.line", "Value", value).Ref("Label", "label.facts").Line(),
			dialogs.T("review.confirm"),
		},
		Buttons: [][]dialogs.Button{{{Label: dialogs.T("review.submit"), Data: "r:submit"}}},
	}
	h.seed(chat, m, 0)
	html, err := h.render.HTML(m)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Split(html, bot.MaxText)
	if len(want) < 3 {
		t.Fatalf("the test message splits into %d parts; make it longer", len(want))
	}

	h.start() // the start-up sweep delivers the outbox
	got := h.waitTexts(chat, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("parts (-want +got):\n%s", diff)
	}
	if n := h.sendsTo(chat); n != len(want) {
		t.Errorf("%d sendMessage requests for %d parts: some were refused", n, len(want))
	}
	var plain []string
	for i, s := range h.fake.Sent(chat) {
		if n := len(utf16.Encode([]rune(s.Text))); n > bot.MaxText {
			t.Errorf("part %d is %d UTF-16 units", i, n)
		}
		if last := i == len(want)-1; last != (len(s.Buttons) > 0) {
			t.Errorf("part %d of %d: buttons %v", i+1, len(want), s.Buttons)
		}
		plain = append(plain, s.PlainText)
	}
	if a, b := squash(bot.Plain(html)), squash(strings.Join(plain, "")); a != b {
		t.Errorf("text lost or changed in splitting:\nwant %q\ngot  %q", a, b)
	}
}

// squash removes all white space.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }
