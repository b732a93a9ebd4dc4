package intent

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// maxRunes bounds the part of a message that is read: a pasted document costs no more
// than a long story.
const maxRunes = 600

// The two separator units. Both end a clause: gaps and negation never cross them.
const (
	unitClause   = "|"
	unitQuestion = "?"
)

// normalizer turns a message into units: one per Chinese character, one per English word
// or number, and a clause mark for punctuation that ends a clause.
type normalizer struct {
	trad  map[rune]rune
	repl  *strings.Replacer
	froms []string // the replace map's keys, for validating phrases
	words map[string]string
}

func newNormalizer(traditional []string, replace, words map[string]string) (*normalizer, []error) {
	n := &normalizer{trad: map[rune]rune{}, words: map[string]string{}}
	var errs []error
	for _, p := range traditional {
		rs := []rune(p)
		if len(rs) != 2 || rs[0] == rs[1] {
			errs = append(errs, fmt.Errorf("normalize.traditional: %q: want two different characters", p))
			continue
		}
		if _, dup := n.trad[rs[0]]; dup {
			errs = append(errs, fmt.Errorf("normalize.traditional: %q listed twice", string(rs[0])))
		}
		n.trad[rs[0]] = rs[1]
	}
	// Longest first: strings.Replacer tries its pairs in argument order at each position.
	keys := make([]string, 0, len(replace))
	for k := range replace {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(utf8.RuneCountInString(b), utf8.RuneCountInString(a)), strings.Compare(a, b))
	})
	var pairs []string
	for _, k := range keys {
		if k == "" || k == replace[k] {
			errs = append(errs, fmt.Errorf("normalize.replace: %q: empty or unchanged", k))
			continue
		}
		pairs = append(pairs, k, replace[k])
	}
	n.froms = keys
	n.repl = strings.NewReplacer(pairs...)
	for k, v := range words {
		if k == v || strings.ContainsAny(k+v, " ") {
			errs = append(errs, fmt.Errorf("normalize.words: %q: must be one changed word", k))
		}
		n.words[k] = v
	}
	return n, errs
}

// fold applies the character-level steps: width, case, traditional characters, then
// the replacements.
func (n *normalizer) fold(s string) string {
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes])
	}
	s = strings.ToValidUTF8(s, " ")
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		if t, ok := n.trad[r]; ok {
			return t
		}
		return r
	}, s)
	return n.repl.Replace(s)
}

// units normalises a message and cuts it into units.
func (n *normalizer) units(text string) []string {
	s := n.fold(text)
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() == 0 {
			return
		}
		w := strings.Trim(word.String(), "'")
		word.Reset()
		if w == "" {
			return
		}
		if v, ok := n.words[w]; ok {
			w = v
		}
		out = append(out, w)
	}
	mark := func(m string) {
		flush()
		if len(out) == 0 {
			return
		}
		if last := out[len(out)-1]; last == unitClause || last == unitQuestion {
			if m == unitQuestion {
				out[len(out)-1] = m
			}
			return
		}
		out = append(out, m)
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			word.WriteRune(r)
		case (r == '\'' || r == '’') && word.Len() > 0:
			word.WriteByte('\'')
		case r == '?':
			mark(unitQuestion)
		case strings.ContainsRune(",.!;:，。！；：、…\n", r):
			mark(unitClause)
		default: // spaces, other punctuation, symbols, emoji
			flush()
		}
	}
	flush()
	if len(out) > 0 && out[len(out)-1] == unitClause {
		out = out[:len(out)-1]
	}
	return out
}

// isMark reports whether a unit is a clause mark.
func isMark(u string) bool { return u == unitClause || u == unitQuestion }

// isHan reports whether a unit is a Chinese character.
func isHan(u string) bool {
	r, _ := utf8.DecodeRuneInString(u)
	return unicode.Is(unicode.Han, r)
}

// written names the language of a message from its units.
func written(units []string) string {
	han, words := 0, 0
	for _, u := range units {
		switch {
		case isMark(u):
		case isHan(u):
			han++
		case strings.IndexFunc(u, unicode.IsLetter) >= 0:
			words++
		}
	}
	switch {
	case han > 0 && han >= words:
		return LangZh
	case words > 0:
		return LangEn
	}
	return ""
}
