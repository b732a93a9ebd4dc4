package fakeapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxTextLength is the longest message text Telegram accepts, in UTF-16 code units after
// entity parsing.
const MaxTextLength = 4096

// MaxCallbackData is the largest callback_data Telegram accepts, in bytes.
const MaxCallbackData = 64

// checkText validates a message text as Telegram does and returns it after entity parsing.
// tooLong is the description used when it exceeds MaxTextLength (sendMessage and
// editMessageText word it differently).
func checkText(text, parseMode, tooLong string) (string, *apiError) {
	if !utf8.ValidString(text) {
		return "", badRequest("text must be encoded in UTF-8")
	}
	plain := text
	switch strings.ToLower(parseMode) {
	case "":
	case "html":
		var err error
		if plain, err = parseHTML(text); err != nil {
			return "", badRequest("can't parse entities: " + err.Error())
		}
	case "markdown", "markdownv2":
		// Accepted without validation: the fake checks only HTML.
	default:
		return "", badRequest("unsupported parse_mode")
	}
	plain = strings.TrimSpace(plain)
	if plain == "" {
		return "", badRequest("message text is empty")
	}
	if utf16Len(plain) > MaxTextLength {
		return "", badRequest(tooLong)
	}
	return plain, nil
}

// utf16Len counts UTF-16 code units, Telegram's unit for text lengths and entity offsets.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// htmlTags are the tags Telegram's HTML parse mode supports.
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "code": true, "pre": true, "a": true,
	"tg-spoiler": true, "span": true, "blockquote": true,
}

// parseHTML checks text the way Telegram's HTML parse mode does (supported tags only, every
// start tag closed by the matching end tag in order) and returns the text without tags, with
// the entities &lt; &gt; &amp; &quot; and numeric ones decoded. Other '&' stay literal, as in
// Telegram. Error texts follow Telegram's "can't parse entities: ..." details.
func parseHTML(text string) (string, error) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(text); {
		switch text[i] {
		case '&':
			r, n := decodeEntity(text[i:])
			if n == 0 {
				out.WriteByte('&')
				i++
				continue
			}
			out.WriteRune(r)
			i += n
		case '<':
			end := strings.IndexByte(text[i:], '>')
			if strings.HasPrefix(text[i:], "</") {
				if end < 0 {
					return "", fmt.Errorf("Unclosed end tag at byte offset %d", i)
				}
				name := strings.ToLower(strings.TrimSpace(text[i+2 : i+end]))
				if len(open) == 0 {
					return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
				}
				if want := open[len(open)-1]; name != want {
					return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, want, name)
				}
				open = open[:len(open)-1]
				i += end + 1
				continue
			}
			name := tagName(text[i+1:])
			if !htmlTags[name] {
				return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			if end < 0 {
				return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
			}
			attrs := text[i+1+len(name) : i+end]
			if name == "span" && !strings.Contains(attrs, "tg-spoiler") {
				return "", fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
			}
			open = append(open, name)
			i += end + 1
		default:
			out.WriteByte(text[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), nil
}

// tagName returns the lower-case name at the start of s: letters, digits and '-'.
func tagName(s string) string {
	n := 0
	for n < len(s) && (s[n] == '-' || s[n] >= '0' && s[n] <= '9' || (s[n]|0x20) >= 'a' && (s[n]|0x20) <= 'z') {
		n++
	}
	return strings.ToLower(s[:n])
}

// decodeEntity decodes the entity at the start of s ("&lt;", "&#60;", "&#x3c;") and returns
// the rune and the bytes consumed, or n == 0 if s does not start with a supported entity.
func decodeEntity(s string) (r rune, n int) {
	semi := strings.IndexByte(s, ';')
	if semi < 2 || semi > 10 {
		return 0, 0
	}
	body := s[1:semi]
	switch body {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "quot":
		return '"', semi + 1
	}
	if body[0] != '#' || len(body) < 2 {
		return 0, 0
	}
	var v uint64
	var err error
	if body[1] == 'x' || body[1] == 'X' {
		v, err = strconv.ParseUint(body[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(body[1:], 10, 32)
	}
	if err != nil || v == 0 || !utf8.ValidRune(rune(v)) {
		return 0, 0
	}
	return rune(v), semi + 1
}

// wireMarkup is a reply_markup object; only inline keyboards are inspected.
type wireMarkup struct {
	InlineKeyboard [][]wireButton `json:"inline_keyboard"`
}

type wireButton struct {
	Text                         string          `json:"text"`
	URL                          *string         `json:"url,omitempty"`
	CallbackData                 *string         `json:"callback_data,omitempty"`
	SwitchInlineQuery            *string         `json:"switch_inline_query,omitempty"`
	SwitchInlineQueryCurrentChat *string         `json:"switch_inline_query_current_chat,omitempty"`
	LoginURL                     json.RawMessage `json:"login_url,omitempty"`
	WebApp                       json.RawMessage `json:"web_app,omitempty"`
	CallbackGame                 json.RawMessage `json:"callback_game,omitempty"`
	Pay                          bool            `json:"pay,omitempty"`
}

// parseMarkup validates a reply_markup parameter. It returns the inline keyboard, or nil for
// an absent markup or another kind of keyboard.
func parseMarkup(raw string) (*wireMarkup, *apiError) {
	if raw == "" {
		return nil, nil
	}
	var m struct {
		InlineKeyboard *[][]wireButton `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if m.InlineKeyboard == nil {
		return nil, nil // reply keyboard, remove_keyboard or force_reply: not inspected
	}
	for _, row := range *m.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.CallbackData != nil:
				if n := len(*b.CallbackData); n == 0 || n > MaxCallbackData {
					return nil, badRequest("BUTTON_DATA_INVALID")
				}
			case b.URL != nil:
				if *b.URL == "" {
					return nil, badRequest("BUTTON_URL_INVALID")
				}
			case b.SwitchInlineQuery == nil && b.SwitchInlineQueryCurrentChat == nil &&
				b.LoginURL == nil && b.WebApp == nil && b.CallbackGame == nil && !b.Pay:
				return nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
		}
	}
	return &wireMarkup{InlineKeyboard: *m.InlineKeyboard}, nil
}
