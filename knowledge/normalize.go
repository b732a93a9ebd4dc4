package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQueryRunes bounds the part of a question that is analysed; longer input is cut, so a
// pasted document cannot make a search expensive.
const maxQueryRunes = 300

// Normalize folds a question or phrasing to the form retrieval compares: full-width ASCII and
// the ideographic space become half-width, letters are lower-cased, punctuation, symbols and
// control characters become spaces, runs of spaces collapse to one and the ends are trimmed.
// Invalid UTF-8 is dropped. The result is at most maxQueryRunes (300) runes long. Normalize never
// fails and is idempotent.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(min(len(s), maxQueryRunes*4))
	n := 0
	space := true // suppress leading spaces and repeats
	for i, w := 0, 0; i < len(s) && n < maxQueryRunes; i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w <= 1 {
			continue
		}
		r = foldRune(r)
		if r == ' ' {
			if !space {
				b.WriteByte(' ')
				n++
				space = true
			}
			continue
		}
		b.WriteRune(r)
		n++
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// foldRune maps one rune to its normalised form; separators of every kind become ' '.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII variants
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	}
	switch {
	case unicode.IsLetter(r), unicode.IsDigit(r), unicode.Is(unicode.Mn, r):
		return unicode.ToLower(r)
	default: // punctuation, symbols, spaces, controls, emoji, unassigned
		return ' '
	}
}
