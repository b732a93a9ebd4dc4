package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplitShortUnchanged(t *testing.T) {
	for name, text := range map[string]string{
		"empty":                 "",
		"short":                 "<b>Hello</b> &amp; welcome\n\nSecond paragraph.",
		"exactly the limit":     strings.Repeat("a", bot.MaxText),
		"limit in astral emoji": strings.Repeat("🙂", bot.MaxText/2),
		"limit in Chinese":      strings.Repeat("检", bot.MaxText),
	} {
		if diff := cmp.Diff([]string{text}, bot.Split(text, bot.MaxText)); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", name, diff)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"paragraph break before a later line break", "aaaaaaaa\n\nbb\ncc", 13, []string{"aaaaaaaa", "bb\ncc"}},
		{"line break", "aaaaaaaa\nbbbb cccc", 12, []string{"aaaaaaaa", "bbbb cccc"}},
		{"no break at all", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"not inside a tag", "xxxxx <b>y</b>", 8, []string{"xxxxx ", "<b>y</b>"}},
		{"not inside an entity", "aaaa&amp;bbbb", 6, []string{"aaaa", "&amp;b", "bbb"}},
		{"astral emoji count twice", "🙂🙂🙂", 4, []string{"🙂🙂", "🙂"}},
		{"astral emoji never halved", "a🙂b", 2, []string{"a", "🙂", "b"}},
		{"one over the limit", strings.Repeat("检", bot.MaxText+1), bot.MaxText, []string{strings.Repeat("检", bot.MaxText), "检"}},
		{"astral one over the limit", strings.Repeat("🙂", bot.MaxText/2) + "a", bot.MaxText, []string{strings.Repeat("🙂", bot.MaxText/2), "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, bot.Split(tc.text, tc.limit)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSplitRenderedMessage splits long Telegram HTML as the renderer makes it: escaped
// text with entities everywhere, short bold titles, paragraphs and one very long line.
func TestSplitRenderedMessage(t *testing.T) {
	line := strings.Repeat("事实 &lt;b&gt;&amp; 🙂 &quot;x&quot; ", 40)
	var b strings.Builder
	for i := range 12 {
		b.WriteString("<b>第" + strings.Repeat("一", i+1) + "段</b>\n" + line + "\n" + line + "\n\n")
	}
	b.WriteString(strings.Repeat(line, 15)) // one line of ~12000 units
	text := b.String()

	parts := bot.Split(text, bot.MaxText)
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for i, p := range parts {
		if n := units(p); n > bot.MaxText || n == 0 {
			t.Errorf("part %d: %d UTF-16 units", i, n)
		}
		if !wellFormed(p) {
			t.Errorf("part %d cut inside a tag, an element or an entity: %q … %q", i, head(p), tail(p))
		}
		if i < len(parts)-1 && units(p) < bot.MaxText/2 {
			t.Errorf("part %d is only %d units: cut too early", i, units(p))
		}
	}
	if a, b := noNewlines(text), noNewlines(strings.Join(parts, "")); a != b {
		t.Error("joined parts differ from the text (newlines aside)")
	}
	if strings.Count(strings.Join(parts, "\n\n"), "<b>") != 12 {
		t.Error("bold titles lost")
	}
}

// TestSplitKeepsElementsBalanced: a chunk must not end between <b> and </b>, or Telegram
// refuses it ("can't find end tag").
func TestSplitKeepsElementsBalanced(t *testing.T) {
	text := "<b>" + strings.Repeat("x", bot.MaxText) + "</b>"
	for i, p := range bot.Split(text, bot.MaxText) {
		if !wellFormed(p) {
			t.Errorf("part %d is not well-formed: %q … %q", i, head(p), tail(p))
		}
	}
}

// TestSplitInvalidUTF8 documents a panic: invalid bytes are counted as U+FFFD, three bytes long.
func TestSplitInvalidUTF8(t *testing.T) {
	_ = bot.Split("\xff\xff\xff", 2)
}

// FuzzSplit: Split never panics on valid UTF-8, every chunk fits the limit, and the
// chunks keep every character but the newlines at the cuts.
func FuzzSplit(f *testing.F) {
	f.Add("hello", uint16(bot.MaxText))
	f.Add("aaaaaaaa\n\nbb\ncc", uint16(13))
	f.Add("<b>bold</b> &amp; &lt;x&gt;\n\n🙂🙂🙂 text", uint16(5))
	f.Add(strings.Repeat("检察 🙂&amp;<i>x</i>\n", 50), uint16(40))
	f.Add("\n\n\n\nab", uint16(3))
	f.Fuzz(func(t *testing.T, text string, limit uint16) {
		if !utf8.ValidString(text) { // renderer output always is; see TestSplitInvalidUTF8
			return
		}
		lim := int(limit)%(bot.MaxText+1) + 2 // an astral character needs 2
		parts := bot.Split(text, lim)
		if len(parts) == 0 {
			t.Fatal("no parts")
		}
		for i, p := range parts {
			if n := units(p); n > lim {
				t.Fatalf("part %d: %d units over the limit %d", i, n, lim)
			}
		}
		// Content is kept; only end tags and reopened start tags may be added at a cut.
		if visibleText(strings.Join(parts, "")) != visibleText(text) {
			t.Fatalf("content changed: %q → %q", text, parts)
		}
	})
}

func noNewlines(s string) string { return strings.ReplaceAll(s, "\n", "") }

var tagRE = regexp.MustCompile(`<[^<>]*>`)

// visibleText is s without newlines and without complete tags.
func visibleText(s string) string { return tagRE.ReplaceAllString(noNewlines(s), "") }

// wellFormed reports whether s has no tag or entity cut off and every element closed.
func wellFormed(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return false
			}
			if s[i+1] == '/' {
				depth--
			} else {
				depth++
			}
			if depth < 0 {
				return false
			}
			i += end
		case '&':
			end := strings.IndexByte(s[i:], ';')
			if end < 0 || end > 8 {
				return false
			}
		}
	}
	return depth == 0
}

func head(s string) string { return string([]rune(s)[:min(20, utf8.RuneCountInString(s))]) }
func tail(s string) string { r := []rune(s); return string(r[max(0, len(r)-20):]) }
