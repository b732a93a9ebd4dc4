package intent_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

func TestEmbeddedLexiconCompiles(t *testing.T) {
	data, err := os.ReadFile("lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := intent.Compile(data); err != nil {
		t.Fatalf("lexicon.yaml: %v", err)
	}
}

// minimal is the smallest valid lexicon; each case below breaks it in one way.
const minimal = `
normalize:
  traditional: [請请]
  replace: {申述: 申诉}
  words: {aply: apply}
intents:
  - kind: apply
    when: clear
    zh: [我要申请]
    en: [want to apply]
`

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		name, lexicon, wantErr string
	}{
		{"traditional character in a phrase", strings.Replace(minimal, "[我要申请]", "[我要申請]", 1), "not in normalised form"},
		{"typo in a phrase", strings.Replace(minimal, "[我要申请]", "[我要申述]", 1), "not in normalised form"},
		{"english typo in a phrase", strings.Replace(minimal, "[want to apply]", "[want to aply]", 1), "not in normalised form"},
		{"upper case", strings.Replace(minimal, "[want to apply]", "[Want to apply]", 1), "not in normalised form"},
		{"unknown kind", strings.Replace(minimal, "kind: apply", "kind: dance", 1), `intent kind "dance": unknown`},
		{"bad when", strings.Replace(minimal, "when: clear", "when: sometimes", 1), "when must be clear or alone"},
		{"gap at the start", strings.Replace(minimal, "[我要申请]", "[~申请]", 1), "~ must stand between words"},
		{"two gaps", strings.Replace(minimal, "[我要申请]", "[我~~申请]", 1), "two ~ in a row"},
		{"listed twice", strings.Replace(minimal, "[我要申请]", "[我要申请, 我要申请]", 1), "listed twice"},
		{"no phrases", strings.Replace(strings.Replace(minimal, "    zh: [我要申请]\n", "", 1), "    en: [want to apply]\n", "", 1), "no phrases"},
		{"bad traditional pair", strings.Replace(minimal, "[請请]", "[請]", 1), "want two different characters"},
		{"unchanged replacement", strings.Replace(minimal, "{申述: 申诉}", "{申诉: 申诉}", 1), "empty or unchanged"},
		{"unknown fact", minimal + "story:\n  facts:\n    - {id: won, zh: [赢了]}\n", `fact "won": unknown`},
		{"fact hides an unknown fact", minimal + "story:\n  facts:\n    - {id: lost, hides: [won], zh: [输了]}\n", `unknown fact "won"`},
		{"unknown small talk", minimal + "  - {kind: smalltalk, sub: gossip, zh: [八卦]}\n", `sub "gossip": unknown`},
		{"ambiguity of one", minimal + "  - {kind: ambiguous, alternatives: [apply], zh: [申请]}\n", "needs two alternatives"},
		{"language without a code", minimal + "  - {kind: language, when: clear, zh: [说英语]}\n", "lang"},
		{"not yaml", "intents: [", "lexicon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := intent.Compile([]byte(tt.lexicon))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Compile: error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if _, err := intent.Compile([]byte(minimal)); err != nil {
		t.Fatalf("the minimal lexicon itself is refused: %v", err)
	}
}

// TestCompiledLexiconReads: a lexicon given to Compile is the one used.
func TestCompiledLexiconReads(t *testing.T) {
	c, err := intent.Compile([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"我要申請", "I want to aply"} {
		if r := c.Classify(text); r.Kind != intent.Apply {
			t.Errorf("Classify(%q) = %s, want apply", text, r.Kind)
		}
	}
	if r := c.Classify("转人工"); r.Kind != intent.None {
		t.Errorf("a phrase of the embedded lexicon matched a lexicon without it: %s", r.Kind)
	}
}

func TestRouteEntriesExist(t *testing.T) {
	routes := []intent.Route{intent.RouteRetrialFirst, intent.RouteSupervisionNow, intent.RouteTooEarly, intent.RouteReconsiderOrSue}
	for _, r := range routes {
		ids := r.Entries()
		if len(ids) == 0 {
			t.Errorf("route %s names no entry", r)
		}
		for _, id := range ids {
			if _, err := os.Stat(filepath.Join("..", "..", "knowledge", "entries", id+".yaml")); err != nil {
				t.Errorf("route %s: entry %s: %v", r, id, err)
			}
		}
	}
	if ids := intent.RouteUnknown.Entries(); ids != nil {
		t.Errorf("unknown route names entries %v", ids)
	}
}
