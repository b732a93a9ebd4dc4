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
		n += utf16Width(r)
	}
	return n
}

func utf16Width(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// Split cuts HTML text into non-empty chunks of at most limit UTF-16 units, preferring
// paragraph breaks, then line breaks, then any point outside a tag, an entity and an open
// element, so that each chunk is well-formed HTML on its own. An element too long for one
// chunk is closed at the end of a chunk and opened again at the start of the next.
// Invalid UTF-8 is replaced.
func Split(text string, limit int) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var out []string
	for utf16Len(text) > limit {
		cut, open := cutPoint(text, limit)
		chunk, rest := text[:cut], text[cut:]
		if len(open) > 0 {
			chunk += closing(open)
			rest = strings.Join(open, "") + rest
		}
		if chunk = strings.TrimRight(chunk, "\n"); chunk != "" {
			out = append(out, chunk)
		}
		text = strings.TrimLeft(rest, "\n")
	}
	if text != "" || len(out) == 0 {
		out = append(out, text)
	}
	return out
}

// closing returns the end tags of the open start tags, innermost first.
func closing(open []string) string {
	var b strings.Builder
	for i := len(open) - 1; i >= 0; i-- {
		name := strings.TrimPrefix(open[i], "<")
		name = strings.TrimSuffix(name, ">")
		if j := strings.IndexAny(name, " \t\n"); j >= 0 {
			name = name[:j]
		}
		b.WriteString("</" + name + ">")
	}
	return b.String()
}

// cutPoint returns a byte offset (> 0) where text can be cut so that the first part fits,
// leaving room for the end tags of any element still open there, which it also returns.
func cutPoint(text string, limit int) (int, []string) {
	var (
		n               int
		stack           []string // open start tags
		inTag, inEntity bool
		tagStart        int
		safe, line      int // latest cut points outside any element
		para            int
		any             int // latest cut point outside a tag or entity, after visible text
		anyOpen         []string
		visible         int // characters outside tags so far
	)
	for i, r := range text {
		w := utf16Width(r)
		if n+w+utf16Len(closing(stack)) > limit {
			break
		}
		if !inTag && !inEntity && len(stack) == 0 && r == '\n' && i > 0 {
			line = i
			if strings.HasPrefix(text[i:], "\n\n") {
				para = i
			}
		}
		switch {
		case r == '<':
			inTag, tagStart = true, i
		case r == '>' && inTag:
			inTag = false
			tag := text[tagStart : i+1]
			switch {
			case strings.HasPrefix(tag, "</"):
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case !strings.HasSuffix(tag, "/>"):
				stack = append(stack, tag)
			}
		case r == '&':
			inEntity = true
		case r == ';' || r == ' ' || r == '\n':
			inEntity = false
		}
		n += w
		if !inTag && r != '>' {
			visible++
		}
		if !inTag && !inEntity && visible > 0 && n+utf16Len(closing(stack)) <= limit {
			any, anyOpen = i+utf8.RuneLen(r), append([]string(nil), stack...)
			if len(stack) == 0 {
				safe = any
			}
		}
	}
	for _, p := range []int{para, line} {
		if p > 0 && p > safe/2 {
			return p, nil
		}
	}
	if safe > 0 && (safe > any/2 || len(anyOpen) == 0) {
		return safe, nil
	}
	if any > 0 {
		return any, anyOpen
	}
	_, size := utf8.DecodeRuneInString(text)
	return size, nil
}
