package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/store"
)

// TestEmbeddedExpiresInRealTime: the in-process store used without REDIS_URL lets keys
// expire as a real server does (miniredis only does when its clock is advanced).
func TestEmbeddedExpiresInRealTime(t *testing.T) {
	rdb, stop, err := store.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ctx := context.Background()
	if err := rdb.Set(ctx, "k", "v", time.Second).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Exists(ctx, "k").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the key never expired")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
