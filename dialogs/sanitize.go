package dialogs

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// What users send is cleaned once, before the engine looks at it, so that nothing hostile
// reaches a session, a case, the staff or /kbstats: control and format characters (NUL,
// escape sequences, right-to-left overrides and the other bidi controls), the replacement
// character left by invalid UTF-8, and text beyond what Telegram itself ever sends.
// Fields, questions and relayed messages then apply their own limits.

// MaxInputText is the longest text one input carries, in characters: Telegram sends at
// most 4,096; a longer text (the console, a forged update) is cut there.
const MaxInputText = 4096

// MaxAttachmentSize is the largest file accepted, in bytes: the Bot API lets a bot
// download files of at most 20 MB, so staff could never open a bigger one.
const MaxAttachmentSize = 20 << 20

// cleaned returns the input with its user-typed parts cleaned (parse.Clean) and its text
// cut to MaxInputText. Callback data is left alone: it is matched exactly, and what does
// not match is refused.
func (in Input) cleaned() Input {
	in.Text = cutRunes(parse.Clean(in.Text), MaxInputText)
	in.UserName = cutRunes(parse.Clean(in.UserName), 128)
	in.Attachment.Name = cutRunes(parse.Clean(in.Attachment.Name), 255)
	if !utf8.ValidString(in.Data) {
		in.Data = strings.ToValidUTF8(in.Data, "")
	}
	return in
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// refusedAtDoor answers inputs that no step can take, whatever the conversation: a file
// over the download limit, an edited message. It reports whether it answered. Nothing
// stored changes: the draft, its documents and the current question stay as they were.
func (e *Engine) refusedAtDoor(r *replies, s *Session, in Input) bool {
	switch {
	case in.StaffChat:
		return false
	case in.Kind == KindAttachment && in.Attachment.Size > MaxAttachmentSize:
		r.say(T("doc.too_big", "Max", strconv.Itoa(MaxAttachmentSize>>20)))
	case in.Kind == KindUnsupported && in.Unsupported == UnsupportedEdit:
		r.say(T("edited"))
	default:
		return false
	}
	if s.Draft != nil && s.Active {
		e.prompt(r, s)
	}
	return true
}

// UnsupportedEdit is Input.Unsupported for an edited message: the bot cannot take back
// what it did with the first version, so it asks for the correction as a new message.
const UnsupportedEdit = "edited"
