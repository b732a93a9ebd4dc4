package bot

import (
	"fmt"
	"log/slog"
	"sync"
)

// dispatcher runs jobs one at a time per key (a chat, a recipient), in the order given, and
// different keys concurrently. A key's goroutine exists only while it has work.
type dispatcher[K comparable] struct {
	log    *slog.Logger
	mu     sync.Mutex
	queues map[K][]func()
	wg     sync.WaitGroup
}

func newDispatcher[K comparable](log *slog.Logger) *dispatcher[K] {
	return &dispatcher[K]{log: log, queues: map[K][]func(){}}
}

// do queues job for key.
func (d *dispatcher[K]) do(key K, job func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, running := d.queues[key]
	d.queues[key] = append(q, job)
	if running {
		return
	}
	d.wg.Add(1)
	go d.run(key)
}

func (d *dispatcher[K]) run(key K) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[key]
		if len(q) == 0 {
			delete(d.queues, key)
			d.mu.Unlock()
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
