package dialogs

import "time"

// Session is what the bot remembers about one conversation (see SessionKey). Lang is a
// preference kept until the user deletes it, Awaiting a flag set by staff; everything else
// expires after the draft time-to-live of silence.
type Session struct {
	Lang     string `json:"-"`
	Awaiting string `json:"-"` // a case whose staff await this chat's answer (FlagAwaiting)
	Draft    *Draft `json:"draft,omitempty"`
	Active   bool   `json:"active,omitempty"`  // the user is answering Draft.Field
	Confirm  string `json:"confirm,omitempty"` // a yes/no question awaiting an answer
	Asking   bool   `json:"asking,omitempty"`  // the next text is a legal question
	// Question is the last question the knowledge base could not answer, kept so that the
	// petitioner can pass it to staff.
	Question string `json:"question,omitempty"`
}

// Empty reports whether the session holds nothing beyond the chat's preferences and
// flags, so that a store need not keep it.
func (s Session) Empty() bool {
	s.Lang, s.Awaiting = "", ""
	return s == Session{}
}

// Draft is an application being filled in. Values holds normalised answers by field id.
type Draft struct {
	ID      string            `json:"id"`
	Started time.Time         `json:"started"`
	Field   string            `json:"field"`
	Editing bool              `json:"editing,omitempty"` // return to review after this field
	Values  map[string]string `json:"values"`
	Docs    []Attachment      `json:"docs,omitempty"`
}

func (d *Draft) get(id string) string { return d.Values[id] }

func (d *Draft) set(id, v string) {
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	d.Values[id] = v
}
