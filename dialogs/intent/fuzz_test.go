package intent_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

var kinds = []intent.Kind{intent.None, intent.SmallTalk, intent.Apply, intent.Status, intent.Human,
	intent.Withdraw, intent.Privacy, intent.Language, intent.Story, intent.Question, intent.Ambiguous}

// FuzzClassify: Classify never panics, gives the same reading twice, and keeps the
// contract of Reading whatever the text.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "你好", "我要申请监督", "不想申请了", "申请", "二审输了，我没有申请再审",
		"How do I apply?", "ｈｅｌｌｏ", "刪除我的資料", "~*?", "\xff\xfe", "我~申请*", "再审再审再审驳回驳回"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r := intent.Classify(text)
		if diff := cmp.Diff(r, intent.Classify(text)); diff != "" {
			t.Fatalf("Classify(%q) not deterministic:\n%s", text, diff)
		}
		if !slices.Contains(kinds, r.Kind) {
			t.Fatalf("Classify(%q): kind %q", text, r.Kind)
		}
		if (r.Kind == intent.Ambiguous) != (len(r.Alternatives) >= 2) {
			t.Fatalf("Classify(%q): kind %s with alternatives %v", text, r.Kind, r.Alternatives)
		}
		if (r.Kind == intent.Story) != (r.Story != nil) {
			t.Fatalf("Classify(%q): kind %s with story %v", text, r.Kind, r.Story)
		}
		if (r.Kind == intent.SmallTalk) != (r.Talk != "") || (r.Kind == intent.Language) != (r.Lang != "") {
			t.Fatalf("Classify(%q): kind %s with talk %q, lang %q", text, r.Kind, r.Talk, r.Lang)
		}
		if r.Story != nil && (r.Story.Route == intent.RouteUnknown) != (len(r.Story.Questions) > 0) {
			t.Fatalf("Classify(%q): route %s with questions %v", text, r.Story.Route, r.Story.Questions)
		}
	})
}
