package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// TestUpdateMark: with sessions kept longer than the seen window (the default), a
// session remembers the latest Telegram update it committed in its own string: that
// update and every earlier one are refused as redeliveries, by the commit and by a load
// in a process without the session cached; later ones go through; ids of other inputs
// go to the sorted set without disturbing the mark; a mark older than the window counts
// for nothing (Telegram numbers at random again after a week of silence); rekeying keeps
// it.
func TestUpdateMark(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	c := newClock()
	oldKey := newKey(t)
	opts := store.Options{Prefix: r.prefix, SessionTTL: 7 * 24 * time.Hour, Now: c.now, Keys: ring(t, oldKey)}
	db := store.New(r.c, opts)
	key := dialogs.SessionKey{Chat: 3, User: 3}
	step := func(update string) error {
		l, err := db.Load(ctx, key, update)
		if err != nil {
			t.Fatal(err)
		}
		if l.Seen {
			return dialogs.ErrDuplicate
		}
		_, err = db.Commit(ctx, key, update, l.Version, dialogs.Effects{Session: dialogs.Session{Question: update}})
		return err
	}
	for _, tc := range []struct {
		update string
		dup    bool
	}{
		{"1001", false}, {"1001", true}, {"1000", true}, {"1002", false},
		{"job:checkin:JC-2026-000001:1", false}, {"1002", true}, {"job:checkin:JC-2026-000001:1", true}, {"1003", false},
	} {
		if err := step(tc.update); tc.dup != errors.Is(err, dialogs.ErrDuplicate) || (!tc.dup && err != nil) {
			t.Fatalf("update %s: %v, want duplicate %v", tc.update, err, tc.dup)
		}
	}
	if n := r.c.Exists(ctx, r.prefix+"{pb}:seen:3:3").Val(); n != 1 {
		t.Fatalf("the timed job's id is not in the sorted set (%d)", n)
	}
	if members := r.c.ZRange(ctx, r.prefix+"{pb}:seen:3:3", 0, -1).Val(); len(members) != 1 {
		t.Fatalf("Telegram updates went to the sorted set: %v", members)
	}
	for update, seen := range map[string]bool{"1003": true, "999": true, "1004": false, "job:x": false} {
		fresh := store.New(r.c, opts) // another process: nothing cached
		if l, err := fresh.Load(ctx, key, update); err != nil || l.Seen != seen {
			t.Fatalf("load of %s in another process: seen %v, %v; want %v", update, l.Seen, err, seen)
		}
	}
	rotated := opts
	rotated.Keys = ring(t, newKey(t), oldKey)
	if st, err := store.New(r.c, rotated).Rekey(ctx, store.RekeyOptions{}); err != nil || st.Rewritten == 0 {
		t.Fatalf("rekey: %+v %v", st, err)
	}
	if raw := r.c.Get(ctx, r.prefix+"{pb}:s:3:3").Val(); !strings.HasPrefix(raw, "4/1003/") {
		t.Fatalf("the session's head after rekey: %.20q", raw)
	}
	db = store.New(r.c, rotated)
	c.advance(49 * time.Hour)
	if err := step("1003"); err != nil {
		t.Fatalf("an id under a mark older than the window: %v", err)
	}
}

// TestUpdateMarkUpgrade: a session stored before marks (its updates in the sorted set)
// still refuses a redelivery, and takes a mark at its next commit.
func TestUpdateMarkUpgrade(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	db := store.New(r.c, store.Options{Prefix: r.prefix, SessionTTL: 7 * 24 * time.Hour})
	key := dialogs.SessionKey{Chat: 4, User: 4}
	r.c.Set(ctx, r.prefix+"{pb}:s:4:4", "3:", 0)
	r.c.ZAdd(ctx, r.prefix+"{pb}:seen:4:4", redis.Z{Score: float64(time.Now().Unix()), Member: "2001"})
	if _, err := db.Commit(ctx, key, "2001", 3, dialogs.Effects{}); !errors.Is(err, dialogs.ErrDuplicate) {
		t.Fatalf("a redelivery of an update committed before marks: %v", err)
	}
	if _, err := db.Commit(ctx, key, "2002", 3, dialogs.Effects{}); err != nil {
		t.Fatal(err)
	}
	if raw := r.c.Get(ctx, r.prefix+"{pb}:s:4:4").Val(); !strings.HasPrefix(raw, "4/2002/") {
		t.Fatalf("no mark after the next commit: %q", raw)
	}
}
