package dialogs

import "strconv"

// Text is one localized piece of a message: a locale key and its arguments.
// Args are plain values (the renderer escapes them); Refs are arguments whose values are
// themselves locale keys, localized before use. Count selects a plural form when set.
type Text struct {
	Key   string            `json:"k"`
	Args  map[string]string `json:"a,omitempty"`
	Refs  map[string]string `json:"r,omitempty"`
	Count *int              `json:"n,omitempty"`
	Tight bool              `json:"t,omitempty"` // follows the previous part on the next line, not after a blank line
}

// T builds a Text from a key and alternating argument names and values.
func T(key string, kv ...string) Text {
	t := Text{Key: key}
	for i := 0; i+1 < len(kv); i += 2 {
		if t.Args == nil {
			t.Args = map[string]string{}
		}
		t.Args[kv[i]] = kv[i+1]
	}
	return t
}

// Ref adds an argument whose value is a locale key.
func (t Text) Ref(name, key string) Text {
	refs := make(map[string]string, len(t.Refs)+1)
	for k, v := range t.Refs {
		refs[k] = v
	}
	refs[name] = key
	t.Refs = refs
	return t
}

// N sets the plural count and also passes it as the argument "N".
func (t Text) N(n int) Text {
	t.Count = &n
	args := make(map[string]string, len(t.Args)+1)
	for k, v := range t.Args {
		args[k] = v
	}
	args["N"] = strconv.Itoa(n)
	t.Args = args
	return t
}

// Line returns t marked to follow the previous part directly on the next line.
func (t Text) Line() Text {
	t.Tight = true
	return t
}

// Button is an inline button: a localized label and the callback data sent back when it
// is pressed. Data is short ASCII, at most 64 bytes.
type Button struct {
	Label Text   `json:"l"`
	Data  string `json:"d"`
}

// Message is one outgoing message: its parts are joined by blank lines, its buttons are
// laid out in rows. Who receives it is the Delivery's business.
type Message struct {
	Lang    string     `json:"lang"`
	Parts   []Text     `json:"p"`
	Buttons [][]Button `json:"b,omitempty"`
}

// Kind says what an Input carries.
type Kind int

// The kinds of input.
const (
	KindText          Kind = iota // Text holds what the user typed (commands included)
	KindButton                    // Data holds the pressed button's callback data
	KindAttachment                // Attachment holds a photo or file
	KindUnsupported               // Unsupported names what it was (voice, sticker…)
	KindTimer                     // Job fell due (ChatID is Job.Chat); processed as the system
	KindUndeliverable             // Telegram refused a proactive delivery for good; Data is its About
)

// Attachment is a photo or document a petitioner sent. FileID is the transport's
// durable reference (a Telegram file id, or a path in the console).
type Attachment struct {
	FileID string `json:"id"`
	Name   string `json:"name,omitempty"`
	Type   string `json:"type"` // "photo" or "document"
	Size   int64  `json:"size,omitempty"`
}

// Input is one thing a user did: in a private chat (a petitioner, or a staff user), or in
// the staff group chat.
type Input struct {
	UpdateID    string // unique per update; set by Service.Process
	ChatID      int64
	UserID      int64
	UserName    string // the user's display name, shown to staff only
	StaffChat   bool   // the input comes from the staff group chat
	LangCode    string // the client's language (Telegram's language_code), may be empty
	Kind        Kind
	Text        string
	Data        string
	Attachment  Attachment
	Unsupported string
	Job         Job // KindTimer: the job that fell due
}

// Key is the session an input belongs to: the private chat's, or in the staff group the
// user's own.
func (in Input) Key() SessionKey {
	if in.StaffChat {
		return SessionKey{Chat: in.ChatID, User: in.UserID}
	}
	return SessionKey{Chat: in.ChatID, User: in.ChatID}
}
