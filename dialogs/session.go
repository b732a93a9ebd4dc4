package dialogs

import (
	"time"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// Session is what the bot remembers about one conversation (see SessionKey). Lang (a
// preference), Awaiting and FormStart (flags others may set) are kept beside it, as the
// chat's preferences; all of it expires after the draft time-to-live of silence, and
// /forget deletes it at once.
type Session struct {
	Lang      string `json:"-"`
	Awaiting  string `json:"-"` // a case whose staff await this chat's answer (FlagAwaiting)
	FormStart string `json:"-"` // a staff action begun in the staff group (FlagForm)
	Draft     *Draft `json:"draft,omitempty"`
	Active    bool   `json:"active,omitempty"`  // the user is answering Draft.Field
	Confirm   string `json:"confirm,omitempty"` // a yes/no question awaiting an answer
	Asking    bool   `json:"asking,omitempty"`  // the next text is a legal question
	// Question is the last question the knowledge base could not answer, kept so that the
	// petitioner can pass it to staff.
	Question string `json:"question,omitempty"`
	// Relay is a case whose staff the petitioner chose to write to: their next message
	// goes there.
	Relay string `json:"relay,omitempty"`
	// Checkin is the check-in ("<case>:<n>") the petitioner just answered: their next
	// message is its comment, passed to the case's staff.
	Checkin string `json:"checkin,omitempty"`
	// Form is a staff user's action in progress, asking its details one by one.
	Form *StaffForm `json:"form,omitempty"`
	// Story is what a petitioner's story told, while a question about it is pending.
	Story *intent.Situation `json:"story,omitempty"`
	// HandOffs counts the requests passed to staff on HandOffDay (YYYY-MM-DD).
	HandOffs   int    `json:"handoffs,omitempty"`
	HandOffDay string `json:"handoff_day,omitempty"`
	// Shown is the knowledge-base answers shown last, so that each is rated once.
	Shown *Shown `json:"shown,omitempty"`
}

// StaffForm is a staff action whose details are asked one at a time in a staff user's
// private chat (a reason, a date, the hearing officers…), or the registration of a matter.
type StaffForm struct {
	Action Action            `json:"action"` // ActSubmit for a registration
	Case   string            `json:"case,omitempty"`
	Status Status            `json:"status,omitempty"` // the case's status when the form began
	Step   int               `json:"step"`
	Values map[string]string `json:"values,omitempty"`
}

// Empty reports whether the session holds nothing beyond the chat's preferences and
// flags, so that a store need not keep it.
func (s Session) Empty() bool {
	s.Lang, s.Awaiting, s.FormStart = "", "", ""
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
