package store_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

func job(id string, due time.Time) dialogs.Job {
	return dialogs.Job{ID: id, Kind: dialogs.JobCheckin, Case: "JC-2026-000001", Chat: 42, N: 1, Due: due.UTC()}
}

func jobIDs(js []dialogs.Job) []string {
	var out []string
	for _, j := range js {
		out = append(out, j.ID)
	}
	sort.Strings(out)
	return out
}

// TestJobsCommitClaimRelease: commits schedule, replace and cancel jobs; a scheduler
// claims only due jobs, a claimed job is not claimed again until its lease ends or it is
// given back; a fired job is removed only if it was not rescheduled meanwhile.
func TestJobsCommitClaimRelease(t *testing.T) {
	ctx := context.Background()
	db, _, _, clk := newDB(t)
	now := clk.now()
	commit(t, db, 1, "u1", dialogs.Effects{Schedule: []dialogs.Job{job("a", now), job("b", now.Add(time.Hour)), job("c", now)}})
	commit(t, db, 1, "u2", dialogs.Effects{Cancel: []string{"c", "nope"}})
	got, next, err := db.ClaimJobs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dialogs.Job{job("a", now)}, got); diff != "" {
		t.Fatalf("claimed (-want +got):\n%s", diff)
	}
	if !next.Equal(now.Add(time.Hour)) && !next.Equal(now.Add(store.DefaultJobLease)) {
		t.Fatalf("next %s", next)
	}
	if again, _, _ := db.ClaimJobs(ctx, 10); len(again) != 0 {
		t.Fatalf("claimed twice: %v", jobIDs(again))
	}
	if err := db.ReleaseJob(ctx, got[0], now); err != nil {
		t.Fatal(err)
	}
	again, _, _ := db.ClaimJobs(ctx, 10)
	if len(again) != 1 {
		t.Fatalf("a released job was not claimed again: %v", jobIDs(again))
	}
	// Rescheduled while claimed: firing the old one leaves the new one.
	commit(t, db, 1, "u3", dialogs.Effects{Schedule: []dialogs.Job{job("a", now.Add(2*time.Hour))}})
	fired := got[0]
	commit(t, db, 1, fired.UpdateID(), dialogs.Effects{Fired: &fired})
	pending, _ := db.PendingJobs(ctx)
	if diff := cmp.Diff([]string{"a", "b"}, jobIDs(pending)); diff != "" {
		t.Fatalf("pending (-want +got):\n%s", diff)
	}
	clk.advance(3 * time.Hour)
	due, _, _ := db.ClaimJobs(ctx, 10)
	if len(due) != 2 {
		t.Fatalf("claimed %v", jobIDs(due))
	}
	commit(t, db, 1, due[0].UpdateID(), dialogs.Effects{Fired: &due[0]})
	commit(t, db, 1, due[1].UpdateID(), dialogs.Effects{Fired: &due[1]})
	if pending, _ := db.PendingJobs(ctx); len(pending) != 0 {
		t.Fatalf("left after firing: %v", jobIDs(pending))
	}
	// A claim that lapsed (its scheduler died) is claimed again.
	commit(t, db, 1, "u4", dialogs.Effects{Schedule: []dialogs.Job{job("d", clk.now())}})
	if js, _, _ := db.ClaimJobs(ctx, 10); len(js) != 1 {
		t.Fatal("not claimed")
	}
	clk.advance(store.DefaultJobLease + time.Second)
	if js, _, _ := db.ClaimJobs(ctx, 10); len(js) != 1 {
		t.Fatal("a lapsed claim was not taken over")
	}
}

// TestEnsureJob: a recurring job's chain starts once, whoever asks.
func TestEnsureJob(t *testing.T) {
	ctx := context.Background()
	db, _, _, clk := newDB(t)
	first, err := db.EnsureJob(ctx, job("digest", clk.now()))
	if err != nil || !first {
		t.Fatalf("first ensure: %v %v", first, err)
	}
	again, err := db.EnsureJob(ctx, job("digest", clk.now().Add(time.Hour)))
	if err != nil || again {
		t.Fatalf("second ensure scheduled it again: %v %v", again, err)
	}
	pending, _ := db.PendingJobs(ctx)
	if len(pending) != 1 || !pending[0].Due.Equal(clk.now()) {
		t.Fatalf("pending %+v", pending)
	}
}

// TestTwoSchedulersShareJobs: two processes claiming the same due jobs at once each get
// a share, and no job is claimed by both.
func TestTwoSchedulersShareJobs(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	clk := newClock()
	a := store.New(r.c, store.Options{Prefix: r.prefix, Now: clk.now})
	b := store.New(r.c, store.Options{Prefix: r.prefix, Now: clk.now})
	var jobs []dialogs.Job
	for i := range 500 {
		jobs = append(jobs, job(fmt.Sprintf("j%03d", i), clk.now()))
	}
	commit(t, a, 1, "seed", dialogs.Effects{Schedule: jobs})
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for _, db := range []*store.DB{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				js, _, err := db.ClaimJobs(ctx, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(js) == 0 {
					return
				}
				mu.Lock()
				for _, j := range js {
					seen[j.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != len(jobs) {
		t.Fatalf("%d of %d jobs claimed", len(seen), len(jobs))
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s claimed %d times", id, n)
		}
	}
}

// TestPacerSpacing: reservations from two processes never put two proactive messages
// closer than the overall interval, nor two to one chat closer than a second; beyond
// the horizon nothing is reserved.
func TestPacerSpacing(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	clk := newClock()
	pacers := []*store.Pacer{
		store.New(r.c, store.Options{Prefix: r.prefix, Now: clk.now}).Pacer(50, 0),
		store.New(r.c, store.Options{Prefix: r.prefix, Now: clk.now}).Pacer(50, 0),
	}
	var mu sync.Mutex
	var slots []time.Time
	byChat := map[int64][]time.Time{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				chat := int64(100 + (w*30+i)%40)
				at, ok, err := pacers[w%2].Reserve(ctx, chat, time.Hour)
				if err != nil || !ok {
					t.Errorf("reserve: %v %v", ok, err)
					return
				}
				mu.Lock()
				slots = append(slots, at)
				byChat[chat] = append(byChat[chat], at)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(slots, func(i, j int) bool { return slots[i].Before(slots[j]) })
	for i := 1; i < len(slots); i++ {
		if d := slots[i].Sub(slots[i-1]); d < 20*time.Millisecond {
			t.Fatalf("slots %d and %d are %s apart, want at least 20ms (50/s)", i-1, i, d)
		}
	}
	for chat, ts := range byChat {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < time.Second {
				t.Fatalf("chat %d: two slots %s apart", chat, d)
			}
		}
	}
	at, ok, err := pacers[0].Reserve(ctx, 999, time.Millisecond)
	if err != nil || ok || !at.After(clk.now()) {
		t.Fatalf("beyond the horizon: %s %v %v", at, ok, err)
	}
}

// TestInFlightMark: a delivery marked as being sent by a sender that then vanished comes
// back to the next sender marked InFlight; a mark cleared after a failed send does not.
func TestInFlightMark(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	clk := newClock()
	db := store.New(r.c, store.Options{Prefix: r.prefix, Lease: 300 * time.Millisecond, Now: clk.now})
	d := to(7, "job:x@1/0", "checkin.ask")
	d.Proactive = true
	b := commit(t, db, 7, "job:x@1", dialogs.Effects{Deliveries: []dialogs.Delivery{d, to(7, "job:x@1/1", "other")}})
	if len(b) != 1 || b[0].Items[0].InFlight {
		t.Fatalf("claimed %+v", b)
	}
	if err := db.Mark(ctx, b[0], "job:x@1/1", true); err == nil {
		t.Fatal("marked a delivery that is not the head")
	}
	if err := db.Mark(ctx, b[0], d.ID, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // the sender died: its lease expired (in Redis' own clock)
	clk.advance(time.Second)
	taken, _, err := db.Claim(ctx, 10)
	if err != nil || len(taken) != 1 {
		t.Fatalf("take-over: %v %v", taken, err)
	}
	if it := taken[0].Items; !it[0].InFlight || it[1].InFlight {
		t.Fatalf("in flight: %v %v", it[0].InFlight, it[1].InFlight)
	}
	if err := db.Mark(ctx, taken[0], d.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Done(ctx, taken[0], dialogs.Sent{RetryIn: 1}); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Second)
	again, _, _ := db.Claim(ctx, 10)
	if len(again) != 1 || again[0].Items[0].InFlight {
		t.Fatalf("after clearing: %+v", again)
	}
	if _, _, err := db.Done(ctx, again[0], dialogs.Sent{N: 2}); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := db.Claim(ctx, 10); len(n) != 0 {
		t.Fatal("the outbox is not empty")
	}
}

// TestRekeyJobs: job records written under an old data key are re-encrypted by rekey and
// read with the new key alone; the schedule is unchanged.
func TestRekeyJobs(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	old := keyedDB(r, ring(t, oldKey))
	due := time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC)
	commit(t, old, 1, "u", dialogs.Effects{Schedule: []dialogs.Job{job("a", due), job("b", due.Add(time.Hour))}})
	st, err := keyedDB(r, ring(t, newKey, oldKey)).Rekey(ctx, store.RekeyOptions{})
	if err != nil || st.Failed != 0 || st.Busy != 0 || st.Rewritten < 2 {
		t.Fatalf("rekey %+v: %v", st, err)
	}
	pending, err := keyedDB(r, ring(t, newKey)).PendingJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dialogs.Job{job("a", due), job("b", due.Add(time.Hour))}, pending); diff != "" {
		t.Fatalf("after rekey (-want +got):\n%s", diff)
	}
}
