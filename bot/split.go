package bot

import (
	"strings"
	"unicode/utf8"
)

// MaxText is the longest text Telegram accepts in one message, in UTF-16 code units.
const MaxText = 4096

// utf16Len counts s in UTF-16 code units, as Telegram does.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// Split cuts text into chunks of at most limit UTF-16 units, preferring paragraph breaks,
// then line breaks, then any character that is not inside an HTML tag or entity.
func Split(text string, limit int) []string {
	var out []string
	for utf16Len(text) > limit {
		cut := cutPoint(text, limit)
		out = append(out, strings.TrimRight(text[:cut], "\n"))
		text = strings.TrimLeft(text[cut:], "\n")
	}
	if text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// cutPoint returns a byte offset where text can be cut so that the first part fits.
func cutPoint(text string, limit int) int {
	fit, n := 0, 0
	for i, r := range text {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > limit {
			break
		}
		n += w
		fit = i + utf8.RuneLen(r)
	}
	head := text[:fit]
	if i := strings.LastIndex(head, "\n\n"); i > fit/2 {
		return i
	}
	if i := strings.LastIndex(head, "\n"); i > fit/2 {
		return i
	}
	// Do not cut inside a tag or an entity.
	for i := fit; i > 0; i-- {
		open := strings.LastIndexAny(head[:i], "<&")
		closeAt := strings.LastIndexAny(head[:i], ">;")
		if open <= closeAt {
			return i
		}
		i = open + 1
	}
	return fit
}
