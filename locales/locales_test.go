package locales_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"

	"github.com/petitionbot/petitionbot/locales"
)

// keys flattens a locale file into its message ids; a table holding plural forms is one
// message.
func keys(t *testing.T, lang string) []string {
	all, _ := messages(t, lang)
	return all
}

// messages returns the message ids of a locale and the set of those with plural forms.
func messages(t *testing.T, lang string) ([]string, map[string]bool) {
	t.Helper()
	raw, err := locales.File(lang)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	var out []string
	plural := map[string]bool{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				if _, ok := sub["other"]; !ok {
					walk(prefix+k+".", sub)
					continue
				}
				plural[prefix+k] = true
			}
			out = append(out, prefix+k)
		}
	}
	walk("", m)
	sort.Strings(out)
	return out, plural
}

func TestEveryKeyInEveryLocale(t *testing.T) {
	want := keys(t, locales.Languages[0])
	if len(want) < 100 {
		t.Fatalf("only %d keys in %s", len(want), locales.Languages[0])
	}
	for _, l := range locales.Languages[1:] {
		if diff := cmp.Diff(want, keys(t, l)); diff != "" {
			t.Errorf("%s keys differ from %s (-want +got):\n%s", l, locales.Languages[0], diff)
		}
	}
}

func TestEveryMessageLocalizes(t *testing.T) {
	b, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locales.Languages {
		loc := i18n.NewLocalizer(b, l)
		all, plural := messages(t, l)
		for _, k := range all {
			cfg := &i18n.LocalizeConfig{MessageID: k, TemplateData: map[string]any{"N": 1}}
			if plural[k] {
				cfg.PluralCount = 1
			}
			got, tag, err := loc.LocalizeWithTag(cfg)
			if err != nil {
				t.Errorf("%s %s: %v", l, k, err)
				continue
			}
			if tag.String() != l {
				t.Errorf("%s %s: came from %s", l, k, tag)
			}
			if strings.TrimSpace(got) == "" {
				t.Errorf("%s %s: empty", l, k)
			}
		}
	}
}
