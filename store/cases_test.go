package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

func TestReserveIsIdempotentAndNumbered(t *testing.T) {
	ctx := context.Background()
	db, rdb, prefix, _ := newDB(t)
	var wg sync.WaitGroup
	numbers := make([]string, 8)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := db.Reserve(ctx, "draft-a", 2026)
			if err != nil {
				t.Error(err)
			}
			numbers[i] = n
		}()
	}
	wg.Wait()
	for _, n := range numbers {
		if n != numbers[0] || n != "JC-2026-000001" {
			t.Fatalf("one draft gave several numbers: %v", numbers)
		}
	}
	if n, _ := db.Reserve(ctx, "draft-b", 2026); n != "JC-2026-000002" {
		t.Fatalf("second draft %q", n)
	}
	if n, _ := db.Reserve(ctx, "draft-c", 2027); n != "JC-2027-000001" {
		t.Fatalf("a new year restarts at 1, got %q", n)
	}
	if ttl := rdb.TTL(ctx, prefix+"{pb}:draft:draft-a").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("the draft's number must expire with the draft, ttl %v", ttl)
	}
}

func TestGetByChat(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, shanghai)
	for i, no := range []string{"JC-2026-000001", "JC-2026-000002"} {
		c := dialogs.Case{Number: no, ChatID: 7, Status: dialogs.StatusSubmitted, Submitted: at.Add(time.Duration(i) * time.Hour), Version: 1,
			Values: map[string]string{"name": "张三"}}
		commit(t, db, 7, no, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}})
	}
	list, err := db.ByChat(ctx, 7)
	if err != nil || len(list) != 2 || list[0].Number != "JC-2026-000002" || list[1].Values["name"] != "张三" {
		t.Fatalf("by chat: %+v %v", list, err)
	}
	if list, _ := db.ByChat(ctx, 8); len(list) != 0 {
		t.Fatalf("another chat sees %d cases", len(list))
	}
	if _, err := db.Get(ctx, "JC-2026-999999"); !errors.Is(err, dialogs.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
}
