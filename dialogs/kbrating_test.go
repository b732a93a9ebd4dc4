package dialogs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// buttonOf returns the data of the button with that label key in the petitioner's latest
// message with buttons.
func (h *harness) buttonOf(key string) string {
	h.t.Helper()
	for _, r := range h.last[""].Buttons {
		for _, b := range r {
			if b.Label.Key == key {
				return b.Data
			}
		}
	}
	h.t.Fatalf("no button %s in %s", key, describe(h.last[""]))
	return ""
}

func press(data string) dialogs.Input { return dialogs.Input{Kind: dialogs.KindButton, Data: data} }

func typed(text string) dialogs.Input { return dialogs.Input{Kind: dialogs.KindText, Text: text} }

// unhelpful returns the "not helpful" count of an entry in /kbstats.
func (h *harness) unhelpful(entry string) int64 {
	h.t.Helper()
	st, err := h.db.KBStats(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range st.Unhelpful {
		if c.ID == entry {
			return c.N
		}
	}
	return 0
}

// TestRatingCountedOncePerAnswerShown: 30 presses of "not helpful" on one answer count
// once; presses with a made-up token, an entry id, or another user's token count never;
// the same entry shown again cannot be rated a second time.
func TestRatingCountedOncePerAnswerShown(t *testing.T) {
	h := newHarness(t, true)
	h.send("", typed("申请监督要花钱吗"))
	down := h.buttonOf("kb.unhelpful")
	up := h.buttonOf("kb.helpful")
	if len(down) > 64 || !strings.HasPrefix(down, "k:down:") || strings.Contains(down, "apply.fees") {
		t.Fatalf("rating button %q: want k:down:<token>", down)
	}

	var got []string
	for range 30 {
		got = append(got, h.send("", press(down))...)
	}
	got = append(got, h.send("", press(up))...)
	want := append([]string{"< kb.thanks"}, repeat("< kb.already_rated", 30)...)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replies to 31 presses (-want +got):\n%s", diff)
	}

	for _, forged := range []string{"k:down:apply.fees", "k:down:zzzzzz", "k:down:", "k:down:" + strings.Repeat("9", 70)} {
		if diff := cmp.Diff([]string{"< stale"}, h.send("", press(forged))); diff != "" {
			t.Errorf("forged %q (-want +got):\n%s", forged, diff)
		}
	}

	// Another user presses this user's button: their session never showed it.
	other := dialogs.Input{ChatID: petitionerChat + 1, UserID: petitionerChat + 1, Kind: dialogs.KindButton, Data: down}
	res, err := h.svc.Process(context.Background(), "other-1", other)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Batches) != 1 || res.Batches[0].Items[0].Msg.Parts[0].Key != "stale" {
		t.Errorf("another user's press of this user's button: %+v, want stale", res.Batches)
	}

	// The same entry shown again: its new button is already rated.
	h.send("", typed("申请监督收费吗"))
	if again := h.buttonOf("kb.unhelpful"); again != down {
		if diff := cmp.Diff([]string{"< kb.already_rated"}, h.send("", press(again))); diff != "" {
			t.Errorf("the entry shown again (-want +got):\n%s", diff)
		}
	}
	if n := h.unhelpful("apply.fees"); n != 1 {
		t.Errorf("%d \"not helpful\" ratings counted, want 1", n)
	}
}

// TestRatingOnlyForRememberedAnswers: the session remembers the last five answers shown;
// an older answer's button is out of date and counts nothing.
func TestRatingOnlyForRememberedAnswers(t *testing.T) {
	h := newHarness(t, true)
	h.send("", typed("申请监督要花钱吗"))
	first := h.buttonOf("kb.unhelpful")
	for _, q := range []string{"要不要请律师", "去哪里申请监督", "申请监督要准备什么材料", "检察院审查要多久", "什么是再审检察建议"} {
		h.send("", typed(q))
		if h.buttonOf("kb.unhelpful") == first {
			t.Fatalf("%q: no new answer shown", q)
		}
	}
	if diff := cmp.Diff([]string{"< stale"}, h.send("", press(first))); diff != "" {
		t.Errorf("a press on the sixth answer back (-want +got):\n%s", diff)
	}
	if n := h.unhelpful("apply.fees"); n != 0 {
		t.Errorf("%d ratings counted for a forgotten answer, want 0", n)
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
