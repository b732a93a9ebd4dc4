package dialogs

import (
	"context"
	"errors"
	"fmt"
)

// Service runs the engine on stored sessions: one input, one atomic commit.
type Service struct {
	Engine *Engine
	Store  Store
}

// Result is what processing one input leaves the transport to do.
type Result struct {
	// Batches are deliveries this process claimed while committing: send them now.
	Batches []Batch
	// Toast answers a button press; nil for none.
	Toast *Text
	// Lang is the language of the user who sent the input.
	Lang string
	// Duplicate reports an update handled before: it had no effect.
	Duplicate bool
	// Refused reports a staff command or button tried by someone who is not staff.
	Refused bool
}

// conflictAttempts bounds how often an input is handled again because a session or case
// changed under it.
const conflictAttempts = 5

// Process handles one input. Inputs of one session must be processed one at a time and
// in order; inputs of different sessions may run concurrently, in one or several
// processes. A redelivered update (same updateID) changes nothing. When the session or a
// case changed between reading and committing, the input is handled again on the new
// state. On error nothing was stored and the update may be processed again.
func (sv *Service) Process(ctx context.Context, updateID string, in Input) (Result, error) {
	in.UpdateID = updateID
	key := in.Key()
	for attempt := 1; ; attempt++ {
		l, err := sv.Store.Load(ctx, key, updateID)
		if err != nil {
			return Result{}, fmt.Errorf("load session %d: %w", key.Chat, err)
		}
		if l.Seen {
			return Result{Duplicate: true}, nil
		}
		s := l.Session
		fx, err := sv.Engine.Handle(ctx, &s, in)
		if err != nil {
			return Result{}, err
		}
		fx.LangChanged = fx.Session.Lang != l.Session.Lang
		batches, err := sv.Store.Commit(ctx, key, updateID, l.Version, fx)
		switch {
		case errors.Is(err, ErrDuplicate):
			return Result{Duplicate: true}, nil
		case errors.Is(err, ErrConflict) && attempt < conflictAttempts:
			continue
		case err != nil:
			return Result{}, fmt.Errorf("commit session %d: %w", key.Chat, err)
		}
		lang := s.Lang
		if lang == "" {
			lang = MatchLang(in.LangCode, sv.Engine.cfg.DefaultLang)
		}
		return Result{Batches: batches, Toast: fx.Toast, Lang: lang, Refused: fx.Refused}, nil
	}
}
