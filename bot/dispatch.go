package bot

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// dispatcher runs jobs one at a time per key (a chat, a recipient), in the order given, and
// different keys concurrently. Workers are reused: a worker that finished a key's jobs
// waits a while for another key before it exits, so that under load goroutines (and the
// stacks they grew) are not made anew for every update.
type dispatcher[K comparable] struct {
	log    *slog.Logger
	mu     sync.Mutex
	queues map[K][]func() // keys with work, running or waiting for a worker
	work   chan K         // hands a runnable key to an idle worker
	wg     sync.WaitGroup // counts keys with work
}

// workerIdle is how long an idle worker waits for a key before it exits.
const workerIdle = 10 * time.Second

func newDispatcher[K comparable](log *slog.Logger) *dispatcher[K] {
	return &dispatcher[K]{log: log, queues: map[K][]func(){}, work: make(chan K)}
}

// do queues job for key.
func (d *dispatcher[K]) do(key K, job func()) {
	d.mu.Lock()
	q, running := d.queues[key]
	d.queues[key] = append(q, job)
	if running {
		d.mu.Unlock()
		return
	}
	d.wg.Add(1)
	d.mu.Unlock()
	select {
	case d.work <- key: // an idle worker takes it
	default:
		go d.worker(key)
	}
}

// worker runs key's jobs, then waits for other keys.
func (d *dispatcher[K]) worker(key K) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		d.run(key)
		idle.Reset(workerIdle)
		select {
		case key = <-d.work:
		case <-idle.C:
			return
		}
	}
}

// run runs key's jobs until its queue is empty.
func (d *dispatcher[K]) run(key K) {
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
			d.wg.Done()
			return
		}
		job := q[0]
		d.queues[key] = q[1:]
		d.mu.Unlock()
		d.safely(key, job)
	}
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
