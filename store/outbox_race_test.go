package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// TestTwoProcessesShareTheOutbox: two processes (two DBs on one key space) commit
// deliveries for the same recipients while both also sweep; every delivery is sent exactly
// once, and each recipient's in commit order.
func TestTwoProcessesShareTheOutbox(t *testing.T) {
	const recipients, perRecipient = 6, 40
	ctx := context.Background()
	r := dbClient(t)
	opt := store.Options{Prefix: r.prefix, Lease: 2 * time.Second}
	procs := []*store.DB{store.New(r.c, opt), store.New(r.c, opt)}

	var mu sync.Mutex
	sent := map[string][]string{} // recipient → delivery ids in the order sent
	deliver := func(db *store.DB, b dialogs.Batch) {
		for {
			mu.Lock()
			for _, it := range b.Items {
				sent[it.To.String()] = append(sent[it.To.String()], it.ID)
			}
			mu.Unlock()
			next, more, err := db.Done(ctx, b, dialogs.Sent{N: len(b.Items)})
			if err != nil {
				t.Error(err)
				return
			}
			if !more {
				return
			}
			b = next
		}
	}
	var committers, sweepers sync.WaitGroup
	stop := make(chan struct{})
	for p, db := range procs {
		committers.Add(1)
		go func() { // each process commits half of every recipient's deliveries, in turn
			defer committers.Done()
			for i := p; i < perRecipient; i += 2 {
				for rc := range recipients {
					chat := int64(3000 + rc)
					id := fmt.Sprintf("%d/%03d", rc, i)
					batches := commit(t, db, int64(9000+p), fmt.Sprintf("p%d-%s", p, id), dialogs.Effects{
						Deliveries: []dialogs.Delivery{to(chat, id, "m")}})
					for _, b := range batches {
						deliver(db, b)
					}
				}
			}
		}()
		sweepers.Add(1)
		go func() {
			defer sweepers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				batches, _, err := db.Claim(ctx, 10)
				if err != nil {
					t.Error(err)
					return
				}
				for _, b := range batches {
					deliver(db, b)
				}
			}
		}()
	}
	committers.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for !drained(t, r) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	sweepers.Wait()

	total := 0
	for rc := range recipients {
		got := sent[dialogs.ToChat(int64(3000+rc)).String()]
		total += len(got)
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Errorf("recipient %d: %s sent twice", rc, id)
			}
			seen[id] = true
		}
		if len(seen) != perRecipient {
			t.Errorf("recipient %d: %d of %d deliveries sent", rc, len(seen), perRecipient)
		}
		// Each process's own commits for a recipient keep their order.
		for p := range 2 {
			last := -1
			for _, id := range got {
				var r2, i int
				fmt.Sscanf(id, "%d/%d", &r2, &i)
				if i%2 == p {
					if i < last {
						t.Errorf("recipient %d: %s sent after %03d", rc, id, last)
					}
					last = i
				}
			}
		}
	}
	if total != recipients*perRecipient {
		t.Errorf("%d deliveries sent, want %d", total, recipients*perRecipient)
	}
}

// drained reports whether no recipient has deliveries waiting.
func drained(t *testing.T, r testRedis) bool {
	n, err := r.c.Exists(context.Background(), r.prefix+"{pb}:ready").Result()
	if err != nil {
		t.Fatal(err)
	}
	return n == 0
}
