package dialogs_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/petitionbot/petitionbot/dialogs"
)

// firstMessagesPath is the front door's quality set: first messages as petitioners write
// them, each with the outcome a front desk would give (format at the top of the file).
const firstMessagesPath = "intent/testdata/firstmessages.yaml"

// minFrontDoor is the share of first messages that must get their expected outcome.
const minFrontDoor = 0.90

type firstMessage struct {
	Lang    string `yaml:"lang"`
	Text    string `yaml:"text"`
	Want    string `yaml:"want"`
	Holdout bool   `yaml:"holdout"`
}

// intentOutcomes are the outcomes that act on what the petitioner asked for: such a
// message must never be answered with a knowledge entry.
var intentOutcomes = []string{"menu", "apply", "status", "handoff", "withdraw", "privacy"}

// TestFrontDoorQuality types each first message into a fresh chat, through the engine with
// the real knowledge base, and compares what the bot did with the expected outcome. It
// reports the tuned part and the part never tuned against, per language.
func TestFrontDoorQuality(t *testing.T) {
	raw, err := os.ReadFile(firstMessagesPath)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Messages []firstMessage `yaml:"messages"`
	}
	if err := yaml.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Messages) < 150 {
		t.Fatalf("%d messages; the set needs at least 150", len(set.Messages))
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, shanghai)
	engine := dialogs.NewEngine(dialogs.Config{Now: func() time.Time { return now }, Location: shanghai,
		Procuratorate: dialogs.Procuratorate{Name: "测试市人民检察院", Phone: "12309"}},
		noCases{}, &dialogs.Knowledge{Index: testIndex(t)})

	type tally struct{ n, ok int }
	parts := map[string]*tally{}
	count := func(key string, ok bool) {
		if parts[key] == nil {
			parts[key] = &tally{}
		}
		parts[key].n++
		if ok {
			parts[key].ok++
		}
	}
	var intentToEntry []string
	holdoutIntentToEntry := 0
	for _, m := range set.Messages {
		s := &dialogs.Session{}
		code := "zh-hans"
		if m.Lang == dialogs.LangEn {
			code = "en"
		}
		fx, err := engine.Handle(context.Background(), s, dialogs.Input{UpdateID: "q", ChatID: 1, UserID: 1,
			LangCode: code, Kind: dialogs.KindText, Text: m.Text})
		if err != nil {
			t.Fatal(err)
		}
		got := outcomeOf(fx, s)
		ok := matches(m.Want, got)
		part := "tuned"
		if m.Holdout {
			part = "holdout"
		}
		for _, key := range []string{part, part + "/" + m.Lang, "all"} {
			count(key, ok)
		}
		if slices.Contains(intentOutcomes, m.Want) && strings.HasPrefix(got, "entry:") {
			if m.Holdout {
				holdoutIntentToEntry++
			} else {
				intentToEntry = append(intentToEntry, m.Text+" → "+got)
			}
		}
		if !ok && !m.Holdout {
			t.Logf("tuned miss: %q want %s, got %s", m.Text, m.Want, got)
		}
	}
	for _, key := range []string{"all", "tuned", "tuned/zh-Hans", "tuned/en", "holdout", "holdout/zh-Hans", "holdout/en"} {
		if p := parts[key]; p != nil {
			t.Logf("%-16s %5.1f %% (%d/%d)", key, 100*float64(p.ok)/float64(p.n), p.ok, p.n)
		}
	}
	t.Logf("intent messages answered with a knowledge entry: tuned %d, holdout %d", len(intentToEntry), holdoutIntentToEntry)
	for _, key := range []string{"all", "tuned"} {
		if p := parts[key]; float64(p.ok) < minFrontDoor*float64(p.n) {
			t.Errorf("%s: %d of %d first messages got their outcome, below %.0f %%", key, p.ok, p.n, 100*minFrontDoor)
		}
	}
	for _, x := range intentToEntry {
		t.Errorf("an intent was answered with a knowledge entry: %s", x)
	}
}

// outcomeOf says what the bot did with a first message, in the set's terms.
func outcomeOf(fx dialogs.Effects, s *dialogs.Session) string {
	var keys []string
	entry := ""
	for _, d := range fx.Deliveries {
		if d.To != dialogs.ToChat(1) {
			continue
		}
		for _, p := range d.Msg.Parts {
			keys = append(keys, p.Key)
			if p.Key == "kb.basis" && entry == "" {
				entry = p.Args["ID"]
			}
		}
	}
	has := func(prefix string) (string, bool) {
		for _, k := range keys {
			if strings.HasPrefix(k, prefix) {
				return k, true
			}
		}
		return "", false
	}
	if k, ok := has("story.route."); ok {
		return "route:" + strings.TrimPrefix(k, "story.route.")
	}
	if _, ok := has("story.q."); ok {
		return "route:unknown"
	}
	switch _, clarify := has("frontdoor.clarify"); {
	case clarify:
		return "ask"
	case len(fx.Questions) > 0:
		return "handoff"
	case s.Draft != nil && s.Draft.Field == "consent":
		return "apply"
	}
	for _, c := range []struct{ prefix, outcome string }{
		{"frontdoor.withdraw", "withdraw"}, {"status.", "status"}, {"privacy.text", "privacy"},
		{"talk.", "menu"}, {"kb.out_of_scope", "out_of_scope"},
	} {
		if _, ok := has(c.prefix); ok {
			return c.outcome
		}
	}
	if _, ok := has("lang.set"); ok {
		return "lang:" + s.Lang
	}
	if _, ok := has("lang.choose"); ok {
		return "lang:?"
	}
	if entry != "" {
		return "entry:" + entry
	}
	if _, ok := has("kb.not_sure"); ok {
		return "not_sure"
	}
	return "other:" + strings.Join(keys, ",")
}

// matches compares an outcome with the expected one ("entry:a|b" accepts either entry).
func matches(want, got string) bool {
	if ids, ok := strings.CutPrefix(want, "entry:"); ok {
		id, isEntry := strings.CutPrefix(got, "entry:")
		return isEntry && slices.Contains(strings.Split(ids, "|"), id)
	}
	return want == got
}
