package dialogs

import (
	"context"
	"errors"
	"fmt"
)

// SessionStore keeps sessions and the outgoing messages of each chat.
type SessionStore interface {
	// Load returns the chat's session (a chat never seen has the zero Session) and
	// whether updateID was already handled for it.
	Load(ctx context.Context, chatID int64, updateID string) (Session, bool, error)
	// Commit stores, atomically, the new session, the update as handled and the messages
	// to send, appended to the chat's outbox. It returns ErrDuplicate, storing nothing,
	// when the update was meanwhile committed (by another instance).
	Commit(ctx context.Context, chatID int64, updateID string, s Session, out []Message) error
}

// ErrDuplicate reports an update already committed.
var ErrDuplicate = errors.New("update already handled")

// Service runs the engine on stored sessions: one update, one atomic commit.
type Service struct {
	Engine *Engine
	Store  SessionStore
}

// Process handles one update of a chat. Updates of one chat must be processed one at a
// time and in order. A redelivered update (same updateID) changes nothing. On error
// nothing was stored and the update may be processed again.
func (sv *Service) Process(ctx context.Context, updateID string, in Input) error {
	s, seen, err := sv.Store.Load(ctx, in.ChatID, updateID)
	if err != nil {
		return fmt.Errorf("load session %d: %w", in.ChatID, err)
	}
	if seen {
		return nil
	}
	in.UpdateID = updateID
	out, err := sv.Engine.Handle(ctx, &s, in)
	if err != nil {
		return err
	}
	if err := sv.Store.Commit(ctx, in.ChatID, updateID, s, out); errors.Is(err, ErrDuplicate) {
		return nil
	} else if err != nil {
		return fmt.Errorf("commit session %d: %w", in.ChatID, err)
	}
	return nil
}
