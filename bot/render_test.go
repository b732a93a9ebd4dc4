package bot_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/locales"
)

func newRenderer(t *testing.T) *bot.Renderer {
	t.Helper()
	b, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewRenderer(b)
}

// tmpl returns the raw template at path ("doc.count.one") in a locale file, so that
// expectations follow the locale files instead of copying their wording.
func tmpl(t *testing.T, lang, path string) string {
	t.Helper()
	raw, err := locales.File(lang)
	if err != nil {
		t.Fatal(err)
	}
	var v any = map[string]any{}
	if err := toml.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("no template %s in %s", path, lang)
	}
	return s
}

// fill substitutes {{.Name}} arguments into a template.
func fill(tpl string, kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		tpl = strings.ReplaceAll(tpl, "{{."+kv[i]+"}}", kv[i+1])
	}
	return tpl
}

func TestRendererHTML(t *testing.T) {
	r := newRenderer(t)
	en, zh := dialogs.LangEn, dialogs.LangZh
	nasty := "<b>JC&1</b> >"
	escaped := "&lt;b&gt;JC&amp;1&lt;/b&gt; &gt;"
	for _, tc := range []struct {
		name string
		msg  dialogs.Message
		want string
	}{{
		name: "arguments escaped, locale markup kept",
		msg:  dialogs.Message{Lang: en, Parts: []dialogs.Text{dialogs.T("receipt", "Number", nasty, "Name", "A&B", "Address", "<x>", "Phone", "1")}},
		want: fill(tmpl(t, en, "receipt"), "Number", escaped, "Name", "A&amp;B", "Address", "&lt;x&gt;", "Phone", "1"),
	}, {
		name: "zh-Hans",
		msg:  dialogs.Message{Lang: zh, Parts: []dialogs.Text{dialogs.T("receipt", "Number", nasty, "Name", "", "Address", "", "Phone", "")}},
		want: fill(tmpl(t, zh, "receipt"), "Number", escaped, "Name", "", "Address", "", "Phone", ""),
	}, {
		name: "unknown language falls back to zh-Hans",
		msg:  dialogs.Message{Lang: "ru", Parts: []dialogs.Text{dialogs.T("review.title")}},
		want: tmpl(t, zh, "review.title"),
	}, {
		name: "refs localized, not escaped",
		msg:  dialogs.Message{Lang: en, Parts: []dialogs.Text{dialogs.T("review.line", "Value", nasty).Ref("Label", "label.name")}},
		want: fill(tmpl(t, en, "review.line"), "Label", tmpl(t, en, "label.name"), "Value", escaped),
	}, {
		name: "plural one",
		msg:  dialogs.Message{Lang: en, Parts: []dialogs.Text{dialogs.T("doc.count").N(1)}},
		want: fill(tmpl(t, en, "doc.count.one"), "N", "1"),
	}, {
		name: "plural other",
		msg:  dialogs.Message{Lang: en, Parts: []dialogs.Text{dialogs.T("doc.count").N(2)}},
		want: fill(tmpl(t, en, "doc.count.other"), "N", "2"),
	}, {
		name: "plural zero is other in en",
		msg:  dialogs.Message{Lang: en, Parts: []dialogs.Text{dialogs.T("doc.count").N(0)}},
		want: fill(tmpl(t, en, "doc.count.other"), "N", "0"),
	}, {
		name: "zh-Hans has only other",
		msg:  dialogs.Message{Lang: zh, Parts: []dialogs.Text{dialogs.T("doc.count").N(1)}},
		want: fill(tmpl(t, zh, "doc.count.other"), "N", "1"),
	}, {
		name: "parts: blank line, or one line break when tight",
		msg: dialogs.Message{Lang: en, Parts: []dialogs.Text{
			dialogs.T("review.title"), dialogs.T("review.confirm"), dialogs.T("review.not_given").Line(),
		}},
		want: tmpl(t, en, "review.title") + "\n\n" + tmpl(t, en, "review.confirm") + "\n" + tmpl(t, en, "review.not_given"),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.HTML(tc.msg)
			if err != nil {
				t.Fatalf("HTML: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRendererLabel(t *testing.T) {
	r := newRenderer(t)
	got, err := r.Label(dialogs.LangEn, dialogs.T("status.withdraw", "Number", "A<&>B"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fill(tmpl(t, dialogs.LangEn, "status.withdraw"), "Number", "A<&>B"); got != want {
		t.Errorf("a label is plain text, not escaped: got %q, want %q", got, want)
	}
}

func TestRendererMissingKey(t *testing.T) {
	r := newRenderer(t)
	for _, tc := range []struct {
		name     string
		msg      dialogs.Message
		contains []string
	}{
		{"missing key", dialogs.Message{Lang: dialogs.LangEn, Parts: []dialogs.Text{dialogs.T("no.such.key")}}, nil},
		{"missing key after a good part", dialogs.Message{Lang: dialogs.LangEn, Parts: []dialogs.Text{
			dialogs.T("review.title"), dialogs.T("no.such.key", "X", "<y>"),
		}}, []string{tmpl(t, dialogs.LangEn, "review.title")}},
		{"missing ref", dialogs.Message{Lang: dialogs.LangEn, Parts: []dialogs.Text{
			dialogs.T("review.line", "Value", "v").Ref("Label", "no.such.label"),
		}}, []string{": v"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.HTML(tc.msg)
			if err == nil {
				t.Error("no error for a missing message")
			} else if !strings.Contains(err.Error(), "no.such.") {
				t.Errorf("the error does not name the missing key: %v", err)
			}
			if strings.TrimSpace(got) == "" {
				t.Error("empty text")
			}
			for _, s := range tc.contains {
				if !strings.Contains(got, s) {
					t.Errorf("text %q lacks %q", got, s)
				}
			}
		})
	}
}

func TestPlain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no markup", "no markup"},
		{"<b>bold</b> and <i>it</i>", "bold and it"},
		{`<a href="https://12309.gov.cn">site</a>`, "site"},
		{"5 &lt; 6 &gt; 4 &amp; &quot;q&quot; &#39;s&#39; &#x1F642;", `5 < 6 > 4 & "q" 's' 🙂`},
		{"&amp;lt; stays an entity once", "&lt; stays an entity once"},
		{"<b>案件编号：</b>JC-2026-000001\n\n下一段", "案件编号：JC-2026-000001\n\n下一段"},
	} {
		if got := bot.Plain(tc.in); got != tc.want {
			t.Errorf("Plain(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
