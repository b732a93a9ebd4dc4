package parse

import (
	"strings"
	"unicode"
)

// Clean trims the input and drops control and format characters other than line breaks
// (tabs become spaces). Free text keeps its punctuation, full-width included.
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteRune(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// compact removes every kind of space and the separators people put in numbers.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		return r
	}, despace(s))
}

// despace cleans s, turns full-width ASCII (Ａ１（) into half-width and removes every
// kind of space. It is applied before every parser of numbers and dates.
func despace(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		}
		return r
	}, Clean(s))
}
