package store_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// commands counts the commands a client sends.
type commands struct{ n atomic.Int64 }

func (c *commands) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commands) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.n.Add(1); return next(ctx, cmd) }
}
func (c *commands) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { c.n.Add(int64(len(cmds))); return next(ctx, cmds) }
}

// TestCachedSessionNeedsNoLoad: the next update of a chat this process just committed
// is handled on the session it holds, without asking Redis.
func TestCachedSessionNeedsNoLoad(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	cmds := &commands{}
	r.c.AddHook(cmds)
	db := store.New(r.c, store.Options{Prefix: r.prefix, SessionTTL: time.Hour})
	key := dialogs.SessionKey{Chat: 5, User: 5}
	sess := dialogs.Session{Lang: "en", Active: true, Draft: &dialogs.Draft{ID: "d", Field: "phone", Values: map[string]string{"name": "王五"}}}
	if _, err := db.Load(ctx, key, "u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Commit(ctx, key, "u1", 0, dialogs.Effects{Session: sess, LangChanged: true}); err != nil {
		t.Fatal(err)
	}
	before := cmds.n.Load()
	l, err := db.Load(ctx, key, "u2")
	if err != nil || l.Version != 1 || l.Session.Lang != "en" || l.Session.Draft.Values["name"] != "王五" {
		t.Fatalf("cached load: %+v %v", l, err)
	}
	if n := cmds.n.Load() - before; n != 0 {
		t.Fatalf("a cached session took %d Redis commands to load", n)
	}
	l.Session.Draft.Values["name"] = "changed" // the caller's copy: the cache keeps its own
	if l, _ := db.Load(ctx, key, "u2"); l.Session.Draft.Values["name"] != "王五" {
		t.Fatal("a caller changed the cached session")
	}
}

// TestCacheNeverActsOnStaleState: when another process changed a chat's session or set
// a flag on it, this process's commit on its cached copy fails with ErrConflict, and the
// next load reads what is stored.
func TestCacheNeverActsOnStaleState(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	a := keyedDB(r, nil)
	b := keyedDB(r, nil)
	key := dialogs.SessionKey{Chat: 6, User: 6}
	commitSession(t, a, 6, "u1", dialogs.Session{Active: true, Question: "one"})
	commitSession(t, b, 6, "u2", dialogs.Session{Active: true, Question: "two"})

	l, _ := a.Load(ctx, key, "u3") // a's cached copy, one version behind
	if _, err := a.Commit(ctx, key, "u3", l.Version, dialogs.Effects{Session: l.Session}); !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("commit on a stale session: %v", err)
	}
	if l, _ := a.Load(ctx, key, "u3"); l.Session.Question != "two" || l.Version != 2 {
		t.Fatalf("after the conflict: %+v", l)
	}
	commitSession(t, a, 6, "u3", dialogs.Session{Question: "three"})

	// Another process's staff member awaits this chat's answer.
	commit(t, b, 1, "staff", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 6, Name: dialogs.FlagAwaiting, Value: "JC-2026-000009"}}})
	l, _ = a.Load(ctx, key, "u4")
	if _, err := a.Commit(ctx, key, "u4", l.Version, dialogs.Effects{Session: l.Session}); !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("commit on stale flags: %v", err)
	}
	if l, _ := a.Load(ctx, key, "u4"); l.Session.Awaiting != "JC-2026-000009" {
		t.Fatalf("the flag another process set is not seen: %+v", l.Session)
	}

	// A redelivered update is refused on the cached copy too.
	if _, err := a.Commit(ctx, key, "u3", 3, dialogs.Effects{Session: l.Session}); !errors.Is(err, dialogs.ErrDuplicate) {
		t.Fatalf("a redelivery on the cached copy: %v", err)
	}
}
