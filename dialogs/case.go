package dialogs

import (
	"context"
	"errors"
	"time"
)

// Source says how a matter reached the procuratorate.
type Source string

// The sources.
const (
	SourceApplication Source = "application"     // a supervision application made through the bot
	SourceLead        Source = "lead"            // a matter a petitioner sent through the bot without an effective judgment
	SourceBureau      Source = "petition_bureau" // referred by the petition bureau, registered by staff
	SourceOther       Source = "other"           // another source, registered by staff
)

// Case is a matter the procuratorate handles: the record staff work from.
type Case struct {
	Number  string `json:"number"`
	Version int64  `json:"-"` // kept by the store; every change adds one
	Source  Source `json:"source,omitempty"`
	DraftID string `json:"draft_id,omitempty"`
	ChatID  int64  `json:"chat_id,omitempty"` // the petitioner's chat; 0 when registered by staff without one
	UserID  int64  `json:"user_id,omitempty"`
	Lang    string `json:"lang"` // the petitioner's language

	Status    Status    `json:"status"`
	Submitted time.Time `json:"submitted"`
	Accepted  time.Time `json:"accepted,omitzero"`
	Closed    time.Time `json:"closed,omitzero"`
	ReviewDue time.Time `json:"review_due,omitzero"` // end of the review period, once accepted
	Outcome   Outcome   `json:"outcome,omitempty"`   // once closed
	Erased    time.Time `json:"erased,omitzero"`     // when its personal data was erased (ErasePersonal)

	Assignee       Staffer         `json:"assignee,omitzero"`
	Lead           string          `json:"lead,omitempty"` // the lead prosecutor of a major case
	Grade          *Grade          `json:"grade,omitempty"`
	Hearing        *Hearing        `json:"hearing,omitempty"`
	Materials      *Materials      `json:"materials,omitempty"` // the latest request
	Rectifications []Rectification `json:"rectifications,omitempty"`

	Values    map[string]string `json:"values"` // the application's answers by field id
	Docs      []Attachment      `json:"docs,omitempty"`
	Screening Screening         `json:"screening"`
	History   []Event           `json:"history"`
}

// currentAt reports whether a card drawn at version v still shows the case's status: v is
// the current version, or an older one after which only things the card does not offer
// changed (a note, a message). A version the case never had is false.
func (c Case) currentAt(v int64) bool {
	if v == c.Version {
		return true
	}
	if v < 1 || v > c.Version || int(v) > len(c.History) {
		return false
	}
	for _, ev := range c.History[v:] {
		if ev.Status != c.History[v-1].Status || ev.Action == ActAssign {
			return false
		}
	}
	return true
}

// Staffer is a staff user as shown to other staff (never to petitioners).
type Staffer struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Grade is the joint meeting's grading of a case, with the approvals it needs.
type Grade struct {
	Level       string `json:"level"`                 // GradeGeneral or GradeMajor
	Approval    string `json:"approval"`              // who approved and when, as staff recorded it
	Consultancy string `json:"consultancy,omitempty"` // major cases: the third-party consultation
}

// Grades.
const (
	GradeGeneral = "general" // approved by the deputy chief in charge
	GradeMajor   = "major"   // major, complex or difficult: third party consulted, the chief approves and leads
)

// Hearing is a public hearing's plan.
type Hearing struct {
	At       time.Time `json:"at"`
	Place    string    `json:"place"`
	Officers []Officer `json:"officers,omitempty"`
}

// Officer is a hearing officer by role.
type Officer struct {
	Role string `json:"role"` // OfficerDeputy, OfficerCPPCC, OfficerExpert or OfficerOther
	Name string `json:"name"`
}

// Hearing officer roles.
const (
	OfficerDeputy = "deputy" // people's congress deputy
	OfficerCPPCC  = "cppcc"  // CPPCC member
	OfficerExpert = "expert"
	OfficerOther  = "other"
)

// Materials is a request for missing materials: what, and by when.
type Materials struct {
	What string    `json:"what"`
	Due  time.Time `json:"due"`
}

// Rectification is a rectification suggestion (整改建议) issued to a government body.
type Rectification struct {
	Body    string    `json:"body"`
	Content string    `json:"content"`
	Due     time.Time `json:"due"`
	Issued  time.Time `json:"issued"`
	Adopted time.Time `json:"adopted,omitzero"`
}

// Event is one action on a case, newest last: who, when, what, and a note.
type Event struct {
	Time   time.Time `json:"time"`
	Action Action    `json:"action,omitempty"`
	Status Status    `json:"status"`         // the status after it
	By     string    `json:"by"`             // "petitioner", "staff:<user id>", "system"
	Name   string    `json:"name,omitempty"` // the staff user's name
	Note   string    `json:"note,omitempty"` // the reason, note or message, as typed
	Ref    string    `json:"ref,omitempty"`  // the update that caused it
}

// ErrNotFound is returned by Cases when a case does not exist or is not the caller's.
var ErrNotFound = errors.New("case not found")

// Cases is the case register, as the engine reads it. Writes go through Store.Commit.
type Cases interface {
	// Reserve returns the case number for a draft being submitted: a new one the first
	// time, the same one on every retry. year is the submission's year in the configured
	// zone. A number reserved by a submission that never completes is skipped, never reused.
	Reserve(ctx context.Context, draftID string, year int) (string, error)
	// Get returns a case with its version, or ErrNotFound.
	Get(ctx context.Context, number string) (Case, error)
	// ByChat lists the cases submitted from a chat, newest first.
	ByChat(ctx context.Context, chatID int64) ([]Case, error)
	// List returns every case, oldest first. (A procuratorate handles hundreds of cases a
	// year: staff lists, statistics and exports read them all.)
	List(ctx context.Context) ([]Case, error)
	// AuditLog returns the audit entries of a case, or of everything when number is "",
	// oldest first.
	AuditLog(ctx context.Context, number string) ([]AuditEntry, error)
	// Question returns a question a petitioner handed to staff, or ErrNotFound.
	Question(ctx context.Context, id string) (Question, error)
	// Find returns the cases one of whose SearchTerms is among terms, oldest first. A
	// store keeps only keyed hashes of the terms, never the names and phones themselves.
	Find(ctx context.Context, terms []string) ([]Case, error)
}
