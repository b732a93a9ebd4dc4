package bot

import (
	"context"
	"sync"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// Jobs is the stored schedule of timed jobs, as the scheduler uses it (store.DB).
type Jobs interface {
	// ClaimJobs takes up to max due jobs no scheduler holds, for a lease; next is when
	// the earliest other job may be taken (zero if none).
	ClaimJobs(ctx context.Context, max int) (jobs []dialogs.Job, next time.Time, err error)
	// ReleaseJob gives a claimed job back, to be taken again at at.
	ReleaseJob(ctx context.Context, j dialogs.Job, at time.Time) error
	// EnsureJob schedules j unless a job with its id is pending.
	EnsureJob(ctx context.Context, j dialogs.Job) (bool, error)
}

// Pacer reserves the moments proactive messages to petitioners may be sent, shared by
// every process on the same storage (store.Pacer).
type Pacer interface {
	// Reserve reserves the earliest slot for a message to chat if it lies within horizon;
	// otherwise it reserves nothing and at says when to ask again.
	Reserve(ctx context.Context, chat int64, horizon time.Duration) (at time.Time, ok bool, err error)
}

// Timers makes a Telegram transport fire timed jobs.
type Timers struct {
	Jobs Jobs
	// Fire paces the firing of jobs that write to petitioners (store.FirePacer), so that
	// they wait in the schedule rather than in the outbox; nil: as soon as they are due.
	Fire Pacer
	// Send paces every proactive message to a petitioner right before it is sent
	// (store.Pacer): the rate holds at Telegram's end, whatever the delays before; nil:
	// not paced.
	Send Pacer
	// Digest returns the next daily digest after now, to start its chain if none is
	// pending; nil (or false) for none.
	Digest func(now time.Time) (dialogs.Job, bool)
	// Every is the longest wait between two looks at the schedule; default 1s.
	Every time.Duration
}

// SetTimers makes Run fire the due jobs of tm.Jobs (call it before Run).
func (t *Telegram) SetTimers(tm Timers) {
	if tm.Every <= 0 {
		tm.Every = time.Second
	}
	t.timers = &tm
}

// Scheduling constants.
const (
	jobBatch    = 50          // jobs claimed at a time
	paceHorizon = time.Second // how far ahead slots for proactive messages are reserved
)

// scheduleLoop fires due jobs until ctx ends, then waits for those it started. A job that
// writes to a petitioner fires only in a slot the shared pacer reserved for it, so that
// proactive messages never exceed the overall and per-chat rates, whatever the number of
// processes, and never build a backlog in the outbox that replies would wait behind; the
// jobs not yet fired wait in the schedule, durably.
func (t *Telegram) scheduleLoop(ctx context.Context) {
	var fires sync.WaitGroup
	defer fires.Wait()
	t.ensureDigest(ctx)
	ensured := time.Now()
	for ctx.Err() == nil {
		wait := t.scheduleOnce(ctx, &fires)
		if time.Since(ensured) > time.Hour {
			t.ensureDigest(ctx) // restarts the chain if it was ever lost
			ensured = time.Now()
		}
		if wait > 0 && !sleep(ctx, wait) {
			return
		}
	}
}

// scheduleOnce claims the due jobs and fires them, each in its slot; it returns how long
// to wait before looking again.
func (t *Telegram) scheduleOnce(ctx context.Context, fires *sync.WaitGroup) time.Duration {
	tm := t.timers
	jobs, next, err := tm.Jobs.ClaimJobs(ctx, jobBatch)
	if err != nil {
		if ctx.Err() == nil {
			t.log.Warn("looking for due jobs failed", "err", err)
		}
		return 5 * time.Second
	}
	wait := tm.Every
	if !next.IsZero() {
		wait = min(wait, max(time.Until(next), 20*time.Millisecond))
	}
	for _, j := range jobs {
		at := time.Now()
		if j.Chat != 0 && tm.Fire != nil {
			slot, ok, err := tm.Fire.Reserve(ctx, j.Chat, paceHorizon)
			switch {
			case err != nil:
				t.log.Warn("reserving a slot for a timed message failed", "job", j.ID, "err", err)
				t.release(ctx, j, time.Now().Add(time.Second))
				continue
			case !ok:
				t.release(ctx, j, slot.Add(-paceHorizon/2))
				wait = min(wait, max(time.Until(slot)-paceHorizon/2, 20*time.Millisecond))
				continue
			}
			at = slot
		}
		fires.Add(1)
		go func() {
			defer fires.Done()
			t.fire(ctx, j, at)
		}()
	}
	if len(jobs) == jobBatch {
		wait = min(wait, 20*time.Millisecond) // more are due
	}
	return wait
}

func (t *Telegram) release(ctx context.Context, j dialogs.Job, at time.Time) {
	if err := t.timers.Jobs.ReleaseJob(ctx, j, at); err != nil && ctx.Err() == nil {
		t.log.Warn("giving back a job failed; it is taken again when its claim expires", "job", j.ID, "err", err)
	}
}

// fire processes job j in its chat's turn and sends what it produced at at, its slot:
// handling comes first, so that the message leaves as close to its slot as it can. On
// failure the job stays claimed until its lease expires and is fired again then: its
// update id makes sure it has one effect.
func (t *Telegram) fire(ctx context.Context, j dialogs.Job, at time.Time) {
	var res dialogs.Result
	var err error
	done := make(chan struct{})
	t.disp.do(j.Chat, func() {
		defer close(done)
		res, err = t.svc.Process(ctx, j.UpdateID(), dialogs.Input{Kind: dialogs.KindTimer, ChatID: j.Chat, Job: j})
	})
	<-done
	if err != nil {
		if ctx.Err() == nil {
			t.log.Warn("a timed job failed; it is tried again when its claim expires", "job", j.ID, "err", err)
		}
		return
	}
	batches := res.Batches
	if d := time.Until(at); d > 0 {
		batches = t.holdFor(ctx, batches, d)
	}
	for _, b := range batches {
		t.queue(ctx, b)
	}
}

// holdFor waits d with batches claimed, renewing their claims (a lease may be shorter
// than the wait), and returns those still held: one whose claim was lost meanwhile is
// another sender's now, and is left to it.
func (t *Telegram) holdFor(ctx context.Context, batches []dialogs.Batch, d time.Duration) []dialogs.Batch {
	stops := make([]func() bool, len(batches))
	for i, b := range batches {
		_, stops[i] = t.keepClaim(ctx, b)
	}
	sleep(ctx, d)
	var held []dialogs.Batch
	for i, stop := range stops {
		if !stop() {
			held = append(held, batches[i])
		}
	}
	return held
}

// Sending in a slot.
const (
	sendHorizon = 2 * time.Second // how far ahead a sender reserves its slot
	// SlotTolerance is how late after its slot a sender may still send; one that wakes
	// later takes another slot. The pacer spaces its slots for it (store.DB.Pacer).
	SlotTolerance = 25 * time.Millisecond
)

// waitSlot waits for a slot to send a proactive message to chat, shared by every
// process. A sender that wakes too late (a busy machine) takes a new slot rather than
// sending late, so that late messages never bunch up with those on time.
func (t *Telegram) waitSlot(ctx context.Context, chat int64) error {
	if t.timers == nil || t.timers.Send == nil || chat == 0 {
		return nil
	}
	for {
		at, ok, err := t.timers.Send.Reserve(ctx, chat, sendHorizon)
		switch {
		case err != nil:
			return err
		case !ok:
			if !sleep(ctx, max(time.Until(at)-sendHorizon, 10*time.Millisecond)) {
				return ctx.Err()
			}
			continue
		}
		if d := time.Until(at); d > 0 && !sleep(ctx, d) {
			return ctx.Err()
		}
		if time.Since(at) <= SlotTolerance {
			return nil
		}
	}
}

// ensureDigest makes sure the daily digest's chain is scheduled.
func (t *Telegram) ensureDigest(ctx context.Context) {
	if t.timers.Digest == nil {
		return
	}
	j, ok := t.timers.Digest(time.Now())
	if !ok {
		return
	}
	if _, err := t.timers.Jobs.EnsureJob(ctx, j); err != nil && ctx.Err() == nil {
		t.log.Warn("scheduling the daily digest failed", "err", err)
	}
}
