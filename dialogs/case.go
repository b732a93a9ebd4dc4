package dialogs

import (
	"context"
	"errors"
	"time"
)

// Case statuses. A workflow adds its own; these are the ones intake sets.
const (
	StatusSubmitted = "submitted"
	StatusWithdrawn = "withdrawn"
)

// Case is a submitted application: the case record staff work from.
type Case struct {
	Number    string            `json:"number"`
	DraftID   string            `json:"draft_id"`
	ChatID    int64             `json:"chat_id"`
	UserID    int64             `json:"user_id"`
	Lang      string            `json:"lang"`
	Status    string            `json:"status"`
	Submitted time.Time         `json:"submitted"`
	Values    map[string]string `json:"values"`
	Docs      []Attachment      `json:"docs,omitempty"`
	Screening Screening         `json:"screening"`
	History   []Event           `json:"history"`
}

// Event is one change of a case's status, newest last.
type Event struct {
	Time   time.Time `json:"time"`
	Status string    `json:"status"`
	By     string    `json:"by"`            // "petitioner", "staff:<user id>", "system"
	Ref    string    `json:"ref,omitempty"` // the update that caused it, for idempotent retries
}

// ErrNotFound is returned by Cases when a case does not exist or is not the caller's.
var ErrNotFound = errors.New("case not found")

// Cases is the case register.
type Cases interface {
	// Submit records c and queues its staff alert, atomically. It is idempotent on
	// c.DraftID: a second call returns the number given the first time and creates
	// nothing. It returns the case number.
	Submit(ctx context.Context, c Case) (string, error)
	// ByChat lists the cases submitted from a chat, newest first.
	ByChat(ctx context.Context, chatID int64) ([]Case, error)
	// Withdraw marks the chat's case as withdrawn and queues a staff notice. It returns
	// ErrNotFound when the case is not the chat's, and false when it was already
	// withdrawn by another request than ref (a retry of the same ref returns true again).
	Withdraw(ctx context.Context, chatID int64, number string, at time.Time, ref string) (bool, error)
}
