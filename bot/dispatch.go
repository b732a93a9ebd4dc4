package bot

import (
	"fmt"
	"log/slog"
	"sync"
)

// dispatcher runs jobs one at a time per chat, in the order given, and different chats
// concurrently. A chat's goroutine exists only while it has work.
type dispatcher struct {
	log    *slog.Logger
	mu     sync.Mutex
	queues map[int64][]func()
	wg     sync.WaitGroup
}

func newDispatcher(log *slog.Logger) *dispatcher {
	return &dispatcher{log: log, queues: map[int64][]func(){}}
}

// do queues job for chat.
func (d *dispatcher) do(chat int64, job func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, running := d.queues[chat]
	d.queues[chat] = append(q, job)
	if running {
		return
	}
	d.wg.Add(1)
	go d.run(chat)
}

func (d *dispatcher) run(chat int64) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[chat]
		if len(q) == 0 {
			delete(d.queues, chat)
			d.mu.Unlock()
			return
		}
		job := q[0]
		d.queues[chat] = q[1:]
		d.mu.Unlock()
		d.safely(chat, job)
	}
}

// safely runs a job; a panic is logged and the chat's next job runs. A job that signals
// completion (the poller waits for it) must do so in a defer to survive its own panic.
func (d *dispatcher) safely(chat int64, job func()) {
	defer func() {
		if r := recover(); r != nil {
			d.log.Error("a chat's job panicked", "chat", chat, "panic", fmt.Sprint(r))
		}
	}()
	job()
}

// wait blocks until every queued job has run.
func (d *dispatcher) wait() { d.wg.Wait() }
