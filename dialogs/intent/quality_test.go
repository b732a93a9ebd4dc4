package intent_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// firstMessage is one line of testdata/firstmessages.yaml.
type firstMessage struct {
	Lang    string `yaml:"lang"`
	Text    string `yaml:"text"`
	Want    string `yaml:"want"`
	Holdout bool   `yaml:"holdout"`
	Batch   int    `yaml:"batch"` // 0 or 1: written before the classifier; 2: after its first version; 3: after tuning on 2
}

// pendingEntries are entry ids the set may name before they exist in knowledge/entries
// (the how-to entry is being written elsewhere).
var pendingEntries = []string{"apply.how"}

func loadFirstMessages(t testing.TB) []firstMessage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "firstmessages.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Messages []firstMessage `yaml:"messages"`
	}
	if err := yaml.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	return set.Messages
}

// intentWants maps the outcomes that are intents to the kind the classifier must give.
var intentWants = map[string]intent.Kind{
	"menu": intent.SmallTalk, "apply": intent.Apply, "status": intent.Status, "handoff": intent.Human,
	"withdraw": intent.Withdraw, "privacy": intent.Privacy,
}

// agrees reports whether a reading is the outcome want asks for, and whether want is an
// intent (an outcome that must never reach the knowledge base).
func agrees(want string, r intent.Reading) (ok, isIntent bool) {
	if k, found := intentWants[want]; found {
		return r.Kind == k, true
	}
	head, arg, _ := strings.Cut(want, ":")
	switch head {
	case "lang":
		return r.Kind == intent.Language && r.Lang == arg, true
	case "route":
		return r.Kind == intent.Story && string(r.Story.Route) == arg, true
	case "ask":
		return r.Kind == intent.Ambiguous, true
	case "entry":
		return r.Kind == intent.Question, false
	case "out_of_scope":
		return r.Kind == intent.None, false
	}
	panic("unknown want " + want)
}

// TestFirstMessageSet checks the set itself: size, languages, holdout share, outcomes,
// entry ids.
func TestFirstMessageSet(t *testing.T) {
	msgs := loadFirstMessages(t)
	entries := map[string]bool{}
	files, err := filepath.Glob(filepath.Join("..", "..", "knowledge", "entries", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("knowledge entries not found: %v", err)
	}
	for _, f := range files {
		entries[strings.TrimSuffix(filepath.Base(f), ".yaml")] = true
	}
	for _, id := range pendingEntries {
		entries[id] = true
	}
	en, holdout := 0, 0
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Text] {
			t.Errorf("%q listed twice", m.Text)
		}
		seen[m.Text] = true
		if m.Lang != intent.LangZh && m.Lang != intent.LangEn {
			t.Errorf("%q: lang %q", m.Text, m.Lang)
		}
		if m.Lang == intent.LangEn {
			en++
		}
		if m.Holdout {
			holdout++
		}
		head, arg, _ := strings.Cut(m.Want, ":")
		switch {
		case intentWants[m.Want] != "", m.Want == "ask", m.Want == "out_of_scope":
		case head == "lang" && (arg == intent.LangZh || arg == intent.LangEn):
		case head == "route" && slices.Contains([]string{"unknown", "retrial_first", "supervision_now", "too_early", "reconsider_or_sue"}, arg):
		case head == "entry" && arg != "":
			for _, id := range strings.Split(arg, "|") {
				if !entries[id] {
					t.Errorf("%q: entry %q does not exist", m.Text, id)
				}
			}
		default:
			t.Errorf("%q: want %q is not an outcome", m.Text, m.Want)
		}
	}
	if len(msgs) < 170 {
		t.Errorf("%d messages, want at least 170", len(msgs))
	}
	if en*10 < len(msgs)*3 {
		t.Errorf("%d of %d in English, want at least 30 %%", en, len(msgs))
	}
	if holdout*4 < len(msgs) || holdout*5 > len(msgs)*2 {
		t.Errorf("%d of %d held out, want about a third", holdout, len(msgs))
	}
}

type score struct{ right, total int }

func (s score) String() string {
	if s.total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %% (%d/%d)", 100*float64(s.right)/float64(s.total), s.right, s.total)
}

// TestQualityFirstMessages scores Classify on the set: kind (and route, and wanted
// language) agreement on the tuned and holdout parts, per language and batch. It fails
// below 90 % on the tuned part, and on any tuned message whose outcome is an intent read
// as a question or as nothing. Holdout messages are counted, never shown, and assert
// nothing: a failing holdout assertion could only be fixed by tuning against it.
func TestQualityFirstMessages(t *testing.T) {
	scores := map[string]*score{}
	add := func(key string, ok bool) {
		if scores[key] == nil {
			scores[key] = &score{}
		}
		scores[key].total++
		if ok {
			scores[key].right++
		}
	}
	leakedHoldout := 0
	for _, m := range loadFirstMessages(t) {
		r := intent.Classify(m.Text)
		ok, isIntent := agrees(m.Want, r)
		part := "tuned"
		if m.Holdout {
			part = "holdout"
		}
		add(part, ok)
		add(part+" "+m.Lang, ok)
		add(fmt.Sprintf("%s batch %d", part, max(m.Batch, 1)), ok)
		leaked := isIntent && (r.Kind == intent.Question || r.Kind == intent.None)
		switch {
		case leaked && m.Holdout:
			leakedHoldout++
		case leaked:
			t.Errorf("intent read as %s: %q (want %s; rules %v)", r.Kind, m.Text, m.Want, r.Rules)
		case !ok && !m.Holdout:
			t.Logf("miss: %q: want %s, got %s (rules %v)", m.Text, m.Want, describe(r), r.Rules)
		}
	}
	// Asserting this on the holdout part would mean tuning against it: it is reported.
	t.Logf("holdout messages whose outcome is an intent read as a question or as nothing: %d", leakedHoldout)
	for _, key := range []string{"tuned", "tuned zh-Hans", "tuned en", "tuned batch 1", "tuned batch 2",
		"tuned batch 3", "holdout", "holdout zh-Hans", "holdout en", "holdout batch 1", "holdout batch 2", "holdout batch 3"} {
		t.Logf("%-16s %s", key, scores[key])
	}
	if s := scores["tuned"]; s.right*10 < s.total*9 {
		t.Errorf("tuned part: %s, want at least 90 %%", s)
	}
}

func describe(r intent.Reading) string {
	switch r.Kind {
	case intent.Story:
		return fmt.Sprintf("story %s (stage %s, body %q, dispute %q)", r.Story.Route, r.Story.Stage, r.Story.Body, r.Story.Dispute)
	case intent.Ambiguous:
		return fmt.Sprintf("ambiguous %v", r.Alternatives)
	case intent.Language:
		return "language " + r.Lang
	case intent.SmallTalk:
		return "smalltalk " + string(r.Talk)
	}
	return string(r.Kind)
}
