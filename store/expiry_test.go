package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// TestEverythingOfADraftExpires: every key a petitioner's draft leaves behind expires
// within the draft's time to live — the session, the preferences and flags, the number
// reservation, the replies still waiting — except the handled-update marks (update ids
// only), kept 48 hours so that Telegram's redeliveries are recognised, and the shared
// set of recipients with deliveries waiting (chat ids only; a recipient leaves it once
// its queue is empty).
func TestEverythingOfADraftExpires(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	const ttl = time.Hour
	db := store.New(r.c, store.Options{Prefix: r.prefix, SessionTTL: ttl, Keys: ring(t, newKey(t))})
	key := dialogs.SessionKey{Chat: 7, User: 7}
	fx := dialogs.Effects{Session: dialogs.Session{Lang: "en", Active: true, Draft: &dialogs.Draft{ID: "d7", Field: "facts",
		Values: map[string]string{"name": "张三"}}},
		Flags:      []dialogs.Flag{{Chat: 7, Name: dialogs.FlagAwaiting, Value: "JC-2026-000001"}},
		Deliveries: []dialogs.Delivery{to(7, "u/0", "review")}}
	b, err := db.Commit(ctx, key, "u", 0, fx)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Done(ctx, b[0], dialogs.Sent{RetryIn: 60_000}); err != nil { // Telegram unreachable: the reply waits
		t.Fatal(err)
	}
	if _, err := db.Reserve(ctx, "d7", 2026); err != nil {
		t.Fatal(err)
	}
	keys := r.c.Keys(ctx, r.prefix+"*").Val()
	if len(keys) < 5 {
		t.Fatalf("only %v", keys)
	}
	for _, k := range keys {
		name := strings.TrimPrefix(k, r.prefix+"{pb}:")
		left := r.c.PTTL(ctx, k).Val()
		switch {
		case strings.HasPrefix(name, "seen:"):
			if left <= 0 || left > 48*time.Hour {
				t.Errorf("%s expires in %v, want within 48 hours", name, left)
			}
		case name == "ready", strings.HasPrefix(name, "seq:"):
			// shared: recipients waiting, the year's case numbers
		case left <= 0 || left > ttl:
			t.Errorf("%s expires in %v, want within the draft's %v", name, left, ttl)
		}
	}
}
