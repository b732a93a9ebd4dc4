package dialogs

import (
	"strconv"
	"strings"
)

// Recipient names who a delivery is for: the staff group chat, or one private chat (a
// petitioner's, or a staff user's — on Telegram a user's private chat id is their user id).
// Exactly one of Staff and Chat is set.
type Recipient struct {
	Staff bool  `json:"s,omitempty"`
	Chat  int64 `json:"c,omitempty"`
}

// ToStaff addresses the staff group chat; the transport resolves its current id.
func ToStaff() Recipient { return Recipient{Staff: true} }

// ToChat addresses a private chat.
func ToChat(id int64) Recipient { return Recipient{Chat: id} }

// String is the recipient's stable name, "staff" or "chat:<id>"; storage keys use it.
func (r Recipient) String() string {
	if r.Staff {
		return "staff"
	}
	return "chat:" + strconv.FormatInt(r.Chat, 10)
}

// ParseRecipient reads a name made by String.
func ParseRecipient(s string) (Recipient, bool) {
	if s == "staff" {
		return ToStaff(), true
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "chat:"), 10, 64)
	if !strings.HasPrefix(s, "chat:") || err != nil || id == 0 {
		return Recipient{}, false
	}
	return ToChat(id), true
}

// Delivery is one message for one recipient, committed together with the state change
// that caused it and sent later by the transport.
type Delivery struct {
	// ID is unique in the installation ("<cause>/<n>"): the idempotency key that tells
	// deliveries apart in the outbox.
	ID  string    `json:"id"`
	To  Recipient `json:"to"`
	Msg Message   `json:"m"`
	// Card names a message that is kept to be edited in place ("card:JC-2026-000001"):
	// the first delivery naming it sends a message and keeps its id, later ones edit that
	// message. Of several waiting for one recipient, only the newest needs sending.
	Card string `json:"card,omitempty"`
	// File, when set, is a document or photo re-sent by its file id, with Msg as its
	// caption.
	File *Attachment `json:"file,omitempty"`
	// Upload, when set, is a document made by the bot (an export), with Msg as its caption.
	Upload *Upload `json:"up,omitempty"`
	// Proactive marks a message sent because a job fell due, not in reply to anyone: it is
	// paced apart from replies and sent at most once (after a crash between sending and
	// recording it is not sent again).
	Proactive bool `json:"pro,omitempty"`
	// About names what a proactive message is for ("ci:<case>:<n>", a check-in), so that
	// the transport can report back when Telegram refuses it for good (KindUndeliverable).
	About string `json:"about,omitempty"`
}

// Upload is a file the bot makes and sends as a document.
type Upload struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Pending is a delivery waiting in the outbox, as a sender received it.
type Pending struct {
	Delivery
	// PartsSent counts the parts of a long message Telegram already accepted: a retry
	// sends only the rest.
	PartsSent int
	// CardMsg is the kept message of Delivery.Card ("<chat id>:<message id>"), or "".
	CardMsg string
	// Raw is the stored form, which the outbox compares when acknowledging.
	Raw string
	// InFlight reports that a sender began sending this delivery and stopped before it
	// recorded the outcome (Outbox.Mark): it may have arrived.
	InFlight bool
}

// Batch is the deliveries of one recipient that one sender has claimed, oldest first. The
// claim is a lease: until it is acknowledged or released, no other sender sends them; a
// sender that dies loses it when it expires, and another sender takes them over.
type Batch struct {
	To    Recipient
	Lease string // the claim's token
	Items []Pending
}

// Sent reports what became of a batch's first items once a sender is done with them.
type Sent struct {
	// N items from the head of the batch were sent (or given up for good).
	N int
	// Kept holds the message ids to keep, by card name, as "<chat id>:<message id>".
	Kept map[string]string
	// RetryIn, when positive, releases the rest of the batch to be tried again after it
	// (a transient failure); otherwise the sender goes on with what waits.
	RetryIn int64 // milliseconds
}
