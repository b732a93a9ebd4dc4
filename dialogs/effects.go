package dialogs

import (
	"context"
	"errors"
	"time"
)

// SessionKey names a session. A private chat has one (User == Chat); in the staff group
// every staff user has their own, so two staff typing there never share a pending question.
type SessionKey struct {
	Chat, User int64
}

// Loaded is a session as stored, with what the commit needs to check.
type Loaded struct {
	Session Session
	Version int64 // the stored version; 0 for a session never stored
	Seen    bool  // the update was committed before: it must have no second effect (false when unknown)
}

// Effects is everything that handling one input changes. A Store commits it atomically:
// all of it or nothing.
type Effects struct {
	Session    Session      // the session after the input
	Cases      []CaseWrite  // cases created or changed
	Deliveries []Delivery   // messages to send, to any recipient
	Audit      []AuditEntry // staff actions and views of personal data
	KB         []KBRecord   // knowledge-base statistics
	Flags      []Flag       // per-chat marks, for this chat or others (a case awaiting a reply)
	Questions  []Question   // questions handed to staff, new or answered
	// Schedule adds timed jobs, or replaces the pending ones with the same ID.
	Schedule []Job
	// Cancel removes pending jobs by ID (an id not pending is ignored). A Store applies
	// Fired first, then Cancel, then Schedule.
	Cancel []string
	// Fired is the job this input fired: it is removed unless it was rescheduled to
	// another time meanwhile.
	Fired  *Job
	Forget *Forget // erase what a chat left outside its cases (/forget)
	// Toast is the short notice shown to whoever pressed a button (answerCallbackQuery);
	// nil for none.
	Toast *Text
	// Refused reports that a user who is not staff tried a staff command or button; the
	// transport logs it (ids only).
	Refused bool
	// LangChanged reports that Session.Lang differs from the stored preference (set by
	// Service: only then is the preference written).
	LangChanged bool
}

// CaseWrite stores Case if the stored case still has version Expect (0: the case must not
// exist yet). The stored version becomes Case.Version, which must be Expect+1.
type CaseWrite struct {
	Case   Case
	Expect int64
}

// KBRecord is one knowledge-base event, counted once: ID is unique per event.
type KBRecord struct {
	ID    string
	Event KBEvent
}

// Flag sets (Value non-empty) or clears a named mark on a chat, outside its session: it
// survives the session's expiry and is read with it (Session.Awaiting). A clear with
// IfValue set clears the mark only while it still holds that value.
type Flag struct {
	Chat    int64
	Name    string
	Value   string
	IfValue string
}

// Forget erases at once the personal data a petitioner's chat left outside its cases:
// its preferences and flags, the number reservations of its drafts, the questions it
// handed to staff and its entries among the knowledge base's unanswered questions. The
// session itself is the Effects' Session, empty after a forget. Submitted cases stay.
type Forget struct {
	Chat   int64
	Drafts []string // ids of the chat's drafts
}

// Flag names.
const (
	// FlagAwaiting holds the number of a case whose staff await the petitioner's answer:
	// their next messages are passed on to them.
	FlagAwaiting = "await"
	// FlagForm holds a staff action begun from the staff group ("<code>:<number>"): its
	// questions continue in the staff user's private chat (Session.FormStart).
	FlagForm = "form"
)

// ErrDuplicate reports an update already committed.
var ErrDuplicate = errors.New("update already handled")

// ErrConflict reports that the session or a case changed since it was read: the input must
// be handled again on the new state.
var ErrConflict = errors.New("changed meanwhile")

// Store keeps sessions and commits the effects of handled inputs.
type Store interface {
	// Load returns the session of key (the zero Session for one never stored, with the
	// chat's preferences and flags) and whether updateID was already committed for it. A
	// store may answer from a copy it holds (Seen false then): Commit detects a copy that
	// is no longer current (ErrConflict) and an update committed before (ErrDuplicate).
	Load(ctx context.Context, key SessionKey, updateID string) (Loaded, error)
	// Commit stores fx atomically, marks updateID committed for key and queues the
	// deliveries. It returns ErrDuplicate when updateID was committed meanwhile and
	// ErrConflict when the session is no longer at version or a case write's Expect does
	// not hold; nothing is stored then. Of the recipients it queued for, it claims those no
	// sender holds and returns their batches for the caller to send.
	Commit(ctx context.Context, key SessionKey, updateID string, version int64, fx Effects) ([]Batch, error)
}

// Outbox is what a sender needs of the stored deliveries. Deliveries of one recipient are
// sent in the order they were committed, by one sender at a time.
type Outbox interface {
	// Claim takes up to max recipients whose deliveries wait with no sender holding them
	// (never claimed, released after a failure and due again, or whose sender's lease
	// expired). next is when the earliest other waiting recipient becomes due (zero if
	// none), so a sweeper knows when to look again.
	Claim(ctx context.Context, max int) (batches []Batch, next time.Time, err error)
	// Done records what became of b's first items. When more deliveries wait for the
	// recipient and s.RetryIn is zero, it returns them as the next batch, still claimed;
	// otherwise it releases the claim. ErrLeaseLost: another sender took the recipient
	// over, and this one must stop.
	Done(ctx context.Context, b Batch, s Sent) (next Batch, more bool, err error)
	// Progress records that parts of a long message were sent.
	Progress(ctx context.Context, b Batch, deliveryID string, parts int) error
	// Renew extends the claim; ErrLeaseLost when it was taken over, or when it expired and
	// b's first delivery is no longer waiting (another sender took over, sent it and let
	// go): b is stale and must not be sent.
	Renew(ctx context.Context, b Batch) error
	// Mark records (on) or clears that the head delivery of b is being sent: a sender that
	// takes the recipient over after a crash finds it InFlight and must not send it again.
	// It renews the claim, and fails as Renew does.
	Mark(ctx context.Context, b Batch, deliveryID string, on bool) error
}

// ErrLeaseLost reports a claim that another sender took over.
var ErrLeaseLost = errors.New("the claim on these deliveries was taken over")
