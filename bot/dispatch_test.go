package bot

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// TestDispatcherIdleWorkersNeverOverbooked: when more keys arrive at once than workers are
// idle, each key still gets a worker of its own at once (an unbounded dispatcher), however
// long the other keys' jobs take — a sender waiting for a slot must not hold up another
// recipient until its claim expires.
func TestDispatcherIdleWorkersNeverOverbooked(t *testing.T) {
	d := newDispatcher[int](slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
	// Two workers, then idle.
	var warm sync.WaitGroup
	warm.Add(2)
	release := make(chan struct{})
	for k := range 2 {
		d.do(k, func() { warm.Done(); <-release })
	}
	warm.Wait()
	close(release)
	d.wait()
	time.Sleep(20 * time.Millisecond) // both are idle now

	const keys = 6
	var started sync.WaitGroup
	started.Add(keys)
	hold := make(chan struct{})
	for k := range keys {
		d.do(10+k, func() { started.Done(); <-hold })
	}
	done := make(chan struct{})
	go func() { started.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%d jobs of different keys did not all start while the first ones waited", keys)
	}
	close(hold)
	d.wait()
}

// TestDispatcherOrderPerKey: one key's jobs run one at a time in the order given; other
// keys run meanwhile.
func TestDispatcherOrderPerKey(t *testing.T) {
	d := newDispatcher[int](slog.New(slog.NewTextHandler(io.Discard, nil)), 2)
	var mu sync.Mutex
	got := map[int][]int{}
	for i := range 100 {
		k := i % 3
		d.do(k, func() {
			mu.Lock()
			got[k] = append(got[k], i)
			mu.Unlock()
		})
	}
	d.wait()
	for k, seq := range got {
		for j := 1; j < len(seq); j++ {
			if seq[j] < seq[j-1] {
				t.Fatalf("key %d ran out of order: %v", k, seq)
			}
		}
		if len(seq) != 34 && len(seq) != 33 {
			t.Fatalf("key %d ran %d jobs", k, len(seq))
		}
	}
}
