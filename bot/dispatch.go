package bot

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// dispatcher runs jobs one at a time per key (a chat, a recipient), in the order given, and
// different keys concurrently, on at most max workers (0: no bound). Keys take turns: a
// worker runs one job of a key, then the key goes to the back of the line if it has more,
// so one busy key cannot hold a worker from the others. Workers are reused, and exit after
// workerIdle without work: under load goroutines (and the stacks they grew) are not made
// anew for every update.
type dispatcher[K comparable] struct {
	log     *slog.Logger
	max     int
	mu      sync.Mutex
	queues  map[K][]func() // keys with work, waiting or running
	ready   []K            // keys with work and no worker, in turn
	workers int
	idle    int            // workers waiting for work
	wakes   int            // wake-ups sent and not yet taken: never more than idle
	signal  chan struct{}  // wakes an idle worker
	wg      sync.WaitGroup // counts keys with work
}

// workerIdle is how long an idle worker waits for work before it exits.
const workerIdle = 10 * time.Second

func newDispatcher[K comparable](log *slog.Logger, max int) *dispatcher[K] {
	return &dispatcher[K]{log: log, max: max, queues: map[K][]func(){}, signal: make(chan struct{}, 1024)}
}

// do queues job for key.
func (d *dispatcher[K]) do(key K, job func()) {
	d.mu.Lock()
	q, known := d.queues[key]
	d.queues[key] = append(q, job)
	if known {
		d.mu.Unlock()
		return
	}
	d.wg.Add(1)
	d.ready = append(d.ready, key)
	// An idle worker no wake-up is on its way to takes it; else a new one, or a busy one
	// in turn. Counting the wake-ups in flight keeps a burst of keys from all waking the
	// same few idle workers while the rest wait behind long jobs.
	wake := d.idle > d.wakes
	spawn := !wake && (d.max == 0 || d.workers < d.max)
	switch {
	case wake:
		d.wakes++
	case spawn:
		d.workers++
	}
	d.mu.Unlock()
	switch {
	case spawn:
		go d.worker()
	case wake:
		d.signal <- struct{}{} // never blocks for long: an idle worker takes each one
	}
}

// worker runs the keys' jobs in turn, then waits for more.
func (d *dispatcher[K]) worker() {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		if key, ok := d.next(); ok {
			d.step(key)
			continue
		}
		if !d.await(idle) {
			return
		}
	}
}

// await waits, counted as idle, for a wake-up; after workerIdle without one the worker
// exits (false), unless a wake-up is on its way to it or work waits.
func (d *dispatcher[K]) await(idle *time.Timer) bool {
	for {
		idle.Reset(workerIdle)
		select {
		case <-d.signal:
			d.mu.Lock()
			d.idle--
			d.wakes--
			d.mu.Unlock()
			return true
		case <-idle.C:
			d.mu.Lock()
			free := d.idle > d.wakes // not every idle worker has a wake-up coming
			if free {
				d.idle--
			}
			exit := free && len(d.ready) == 0
			if exit {
				d.workers--
			}
			d.mu.Unlock()
			if free {
				return !exit
			}
		}
	}
}

// next takes the next key in turn; when there is none the worker counts as idle.
func (d *dispatcher[K]) next() (K, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.ready) == 0 {
		d.idle++
		var none K
		return none, false
	}
	key := d.ready[0]
	d.ready = d.ready[1:]
	return key, true
}

// step runs key's next job; the key goes back in line if more wait, else it is done.
func (d *dispatcher[K]) step(key K) {
	d.mu.Lock()
	job := d.queues[key][0]
	d.mu.Unlock()
	d.safely(key, job)
	d.mu.Lock()
	q := d.queues[key][1:]
	if len(q) == 0 {
		delete(d.queues, key)
		d.mu.Unlock()
		d.wg.Done()
		return
	}
	d.queues[key] = q
	d.ready = append(d.ready, key)
	d.mu.Unlock()
}

// safely runs a job; a panic is logged and the key's next job runs. A job that signals
// completion (the poller waits for it) must do so in a defer to survive its own panic.
func (d *dispatcher[K]) safely(key K, job func()) {
	defer func() {
		if r := recover(); r != nil {
			d.log.Error("a job panicked", "key", fmt.Sprint(key), "panic", fmt.Sprint(r))
		}
	}()
	job()
}

// wait blocks until every queued job has run.
func (d *dispatcher[K]) wait() { d.wg.Wait() }
