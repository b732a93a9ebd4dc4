package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
)

// TestLongMessageResumes: when the first parts of a long message were accepted before a
// failure (recorded with Progress), the retry sends only the rest, and the
// acknowledgement clears the record.
func TestLongMessageResumes(t *testing.T) {
	const chat = 1601
	h := newHarness(t)
	h.fake.AddChat(chat, "private")
	m := dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{
		dialogs.T("review.line", "Value", strings.Repeat("事实与理由。", 1500)).Ref("Label", "label.facts"),
	}}
	html, _ := h.render.HTML(m)
	parts := bot.Split(html, bot.MaxText)
	if len(parts) < 3 {
		t.Fatalf("%d parts; make the message longer", len(parts))
	}
	h.seed(chat, m, 1)
	h.start()
	got := h.waitTexts(chat, len(parts)-1)
	if diff := cmp.Diff(parts[1:], got); diff != "" {
		t.Fatalf("resent parts (-want +got):\n%s", diff)
	}
	if !h.fake.WaitFor(func() bool {
		n, _ := h.rdb.Exists(context.Background(), h.prefix+"{pb}:parts:chat:1601", h.prefix+"{pb}:q:chat:1601").Result()
		return n == 0 && h.outboxEmpty()
	}, wait) {
		t.Fatal("the outbox or its parts record was not cleared")
	}
}
