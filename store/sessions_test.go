package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

func TestSessionCommitLoadSeen(t *testing.T) {
	ctx := context.Background()
	db, rdb, prefix, _ := newDB(t)
	key := dialogs.SessionKey{Chat: 42, User: 42}

	l, err := db.Load(ctx, key, "u1")
	if err != nil || l.Session.Draft != nil || l.Session.Lang != "" || l.Seen || l.Version != 0 {
		t.Fatalf("new chat: %+v %v", l, err)
	}
	sess := dialogs.Session{Lang: "en", Active: true, Draft: &dialogs.Draft{ID: "d1", Field: "name", Values: map[string]string{"consent": "yes"}}}
	if _, err := db.Commit(ctx, key, "u1", 0, dialogs.Effects{Session: sess, LangChanged: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Commit(ctx, key, "u1", 1, dialogs.Effects{Session: sess}); !errors.Is(err, dialogs.ErrDuplicate) {
		t.Fatalf("the same update committed again: %v", err)
	}
	l, err = store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour}).Load(ctx, key, "u1") // no cache
	if err != nil || !l.Seen || l.Version != 1 {
		t.Fatalf("after commit: %+v, %v", l, err)
	}
	if diff := cmp.Diff(sess, l.Session); diff != "" {
		t.Fatalf("loaded session differs (-want +got):\n%s", diff)
	}
	if l, _ := db.Load(ctx, key, "u2"); l.Seen {
		t.Fatal("u2 seen before commit")
	}
	if ttl := rdb.TTL(ctx, prefix+"{pb}:s:42:42").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("session ttl %v", ttl)
	}
	if ttl := rdb.TTL(ctx, prefix+"{pb}:p:42").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("preferences must expire with a silent session, ttl %v", ttl)
	}

	// An empty session keeps nothing but its version; deleting the language removes the
	// preferences.
	if _, err := db.Commit(ctx, key, "u2", 1, dialogs.Effects{LangChanged: true}); err != nil {
		t.Fatal(err)
	}
	l, _ = db.Load(ctx, key, "u3")
	if !l.Session.Empty() || l.Session.Lang != "" || l.Version != 2 {
		t.Fatalf("after clearing: %+v", l)
	}
	if n := rdb.Exists(ctx, prefix+"{pb}:p:42").Val(); n != 0 {
		t.Fatal("preferences left after deleting the language")
	}
}

// TestCommitTwice: a second commit of the same update (another process handling a
// redelivery) stores nothing and says so.
func TestCommitTwice(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	key := dialogs.SessionKey{Chat: 7, User: 7}
	fx := dialogs.Effects{Session: dialogs.Session{Active: true}, Deliveries: []dialogs.Delivery{to(7, "u/0", "stale")}}
	if _, err := db.Commit(ctx, key, "u", 0, fx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Commit(ctx, key, "u", 1, dialogs.Effects{}); !errors.Is(err, dialogs.ErrDuplicate) {
		t.Fatalf("second commit: %v, want ErrDuplicate", err)
	}
	if l, _ := db.Load(ctx, key, "x"); !l.Session.Active {
		t.Fatal("the second commit overwrote the session")
	}
}

// TestCommitVersion: two processes that read the same session version cannot both
// commit: the second gets ErrConflict and stores nothing (no lost write).
func TestCommitVersion(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	key := dialogs.SessionKey{Chat: -100, User: 5} // a staff user's session in the group
	if _, err := db.Commit(ctx, key, "a", 0, dialogs.Effects{Session: dialogs.Session{Confirm: "first"}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.Commit(ctx, key, "b", 0, dialogs.Effects{Session: dialogs.Session{Confirm: "second"},
		Deliveries: []dialogs.Delivery{to(5, "b/0", "stale")}})
	if !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("stale version: %v, want ErrConflict", err)
	}
	l, _ := db.Load(ctx, key, "b")
	if l.Seen || l.Session.Confirm != "first" {
		t.Fatalf("the refused commit left traces: %+v", l)
	}
	if b, _, _ := db.Claim(ctx, 10); len(b) != 0 {
		t.Fatalf("the refused commit queued %d batches", len(b))
	}
	// Another user in the same group has a session of their own.
	other := dialogs.SessionKey{Chat: -100, User: 6}
	if l, _ := db.Load(ctx, other, "c"); l.Version != 0 || l.Session.Confirm != "" {
		t.Fatalf("staff users share a session: %+v", l)
	}
}

// TestCaseVersion: a case write whose expected version no longer holds is refused with
// the whole commit.
func TestCaseVersion(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	c := dialogs.Case{Number: "JC-2026-000001", ChatID: 9, Status: dialogs.StatusSubmitted, Version: 1}
	commit(t, db, 9, "new", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: 0}}})
	got, err := db.Get(ctx, c.Number)
	if err != nil || got.Version != 1 || got.Status != dialogs.StatusSubmitted {
		t.Fatalf("get: %+v %v", got, err)
	}
	// A second "new" case with the same number is a conflict.
	key := dialogs.SessionKey{Chat: 9, User: 9}
	if _, err := db.Commit(ctx, key, "again", 1, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: 0}}}); !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("recreating a case: %v", err)
	}
	a, b := got, got
	a.Status, a.Version = dialogs.StatusAccepted, 2
	b.Status, b.Version = dialogs.StatusNotAccepted, 2
	if _, err := db.Commit(ctx, dialogs.SessionKey{Chat: -1, User: 1}, "staff1", 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: a, Expect: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Commit(ctx, dialogs.SessionKey{Chat: -1, User: 2}, "staff2", 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: b, Expect: 1}}}); !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("second staff on the same version: %v, want ErrConflict", err)
	}
	if got, _ := db.Get(ctx, c.Number); got.Status != dialogs.StatusAccepted || got.Version != 2 {
		t.Fatalf("after the race: %s v%d", got.Status, got.Version)
	}
}

// TestFlags: a flag set for another chat is read with that chat's session, and survives
// the session's deletion.
func TestFlags(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	commit(t, db, 1, "staff", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 9, Name: dialogs.FlagAwaiting, Value: "JC-2026-000003"}}})
	commit(t, db, 9, "p1", dialogs.Effects{})
	if l, _ := db.Load(ctx, dialogs.SessionKey{Chat: 9, User: 9}, "p2"); l.Session.Awaiting != "JC-2026-000003" {
		t.Fatalf("awaiting %q", l.Session.Awaiting)
	}
	commit(t, db, 9, "p2", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 9, Name: dialogs.FlagAwaiting}}})
	if l, _ := db.Load(ctx, dialogs.SessionKey{Chat: 9, User: 9}, "p3"); l.Session.Awaiting != "" {
		t.Fatalf("cleared flag still %q", l.Session.Awaiting)
	}
}
