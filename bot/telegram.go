package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

// ChatMoves remembers where the staff group moved when Telegram upgraded it.
type ChatMoves interface {
	StaffChat(ctx context.Context, configured int64) (int64, bool, error)
	SetStaffChat(ctx context.Context, old, new int64) error
}

// TelegramConfig holds the Telegram transport's settings.
type TelegramConfig struct {
	Token        string
	APIEndpoint  string              // "http://host:port/bot%s/%s"; empty: api.telegram.org
	StaffChatID  int64               // the staff group
	StaffUserIDs []int64             // staff users, whose private chats get the staff command menu
	StaffLang    string              // language of staff messages
	Location     *time.Location      // times in staff messages
	PollTimeout  time.Duration       // long-poll wait; default 25s
	SendTimeout  time.Duration       // one API call; default 30s
	PerChatRate  float64             // messages per second to one chat; default 1 (burst 3)
	GlobalRate   float64             // messages per second overall; default 25
	GroupPerMin  float64             // messages per minute into the staff group; default 18
	SweepEvery   time.Duration       // the longest wait between looks for undelivered messages; default 5s
	Lease        time.Duration       // a sender's claim on deliveries, as the outbox grants it; default 5s
	Observe      func(time.Duration) // called with each update's handling time; nil for none
	// NoPoll makes the transport send, sweep and fire timed jobs without polling for
	// updates: a second process beside the one that polls (Telegram allows one poller).
	NoPoll bool
}

// Telegram runs the bot on Telegram by long polling.
type Telegram struct {
	cfg    TelegramConfig
	svc    *dialogs.Service
	out    dialogs.Outbox
	moves  ChatMoves
	render *Renderer
	log    *slog.Logger

	send     *tgbotapi.BotAPI
	poll     *tgbotapi.BotAPI
	limits   *limits
	disp     *dispatcher[int64]  // handles updates, per chat in order
	sends    *dispatcher[string] // delivers, per recipient in order, apart from handling
	inFlight chan struct{}       // bounds concurrent Bot API calls (maxConcurrentCalls)
	timers   *Timers             // fires timed jobs; nil for none
	floods   *floods             // how fast each private chat sends

	mu        sync.Mutex
	staffChat int64
}

// NewTelegram connects to the Bot API (getMe). sendCtx bounds every send; polling has its
// own context, given to Run.
func NewTelegram(sendCtx context.Context, cfg TelegramConfig, svc *dialogs.Service, out dialogs.Outbox, moves ChatMoves, r *Renderer, log *slog.Logger) (*Telegram, error) {
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 25 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = 5 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Second
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	send, err := NewAPI(sendCtx, cfg.Token, cfg.APIEndpoint, cfg.SendTimeout)
	if err != nil {
		return nil, fmt.Errorf("connect to the Bot API: %w", err)
	}
	return &Telegram{
		cfg: cfg, svc: svc, out: out, moves: moves, render: r, log: log,
		send: send, limits: newLimits(cfg.PerChatRate, cfg.GlobalRate, cfg.GroupPerMin),
		disp: newDispatcher[int64](log, maxHandlers), sends: newDispatcher[string](log, 0), staffChat: cfg.StaffChatID,
		inFlight: make(chan struct{}, maxConcurrentCalls), floods: newFloods(),
	}, nil
}

// Run polls until ctx ends, then stops polling, finishes the updates in hand, confirms
// them to Telegram and returns nil. sendCtx (given to NewTelegram) must outlive ctx so the
// last replies can still be sent.
func (t *Telegram) Run(ctx context.Context, sendCtx context.Context) error {
	poll, err := dialAPI(ctx, t.log, t.cfg.Token, t.cfg.APIEndpoint, t.cfg.PollTimeout+15*time.Second)
	if err != nil {
		return nil // stopped before the Bot API answered
	}
	t.poll = poll
	t.checkStaffChat(sendCtx)
	t.setCommands(sendCtx)

	var sweeper sync.WaitGroup
	sweepCtx, stopSweep := context.WithCancel(sendCtx)
	sweeper.Add(1)
	go func() { defer sweeper.Done(); t.sweepLoop(sweepCtx) }()
	if t.timers != nil {
		sweeper.Add(1)
		go func() { defer sweeper.Done(); t.scheduleLoop(sweepCtx) }()
	}

	offset := 0
	if t.cfg.NoPoll {
		t.log.Info("sending and firing timed jobs; not polling")
		<-ctx.Done()
	} else {
		t.log.Info("polling")
		offset = t.pollLoop(ctx, sendCtx) // returns once the updates in hand are stored
	}

	t.log.Info("stopping: finishing the messages in hand")
	stopSweep()
	sweeper.Wait()
	t.disp.wait()
	t.sends.wait()
	if offset > 0 { // confirm what was handled, so it is not delivered again
		confirm, err := NewAPI(sendCtx, t.cfg.Token, t.cfg.APIEndpoint, 10*time.Second)
		if err == nil {
			_, err = confirm.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 1, Timeout: 0})
		}
		if err != nil {
			t.log.Warn("could not confirm the last updates; they will be delivered again and skipped", "err", redact(err, t.cfg.Token))
		}
	}
	return nil
}

// pollLoop fetches updates and hands them to the chats' workers. Telegram confirms every
// update below the offset of the next getUpdates, so the offset never passes an update
// whose effects are not stored yet. Before polling again it lets the updates in hand
// finish (at most inflightWait): in the common case every update is then fetched once, and
// the next poll confirms it. A slow update (a language model, a storage retry) delays
// other chats by at most inflightWait, as long as fewer than 100 updates (one getUpdates
// window) arrive behind it — updates fetched again meanwhile are recognised and skipped;
// beyond that, new updates wait for the slow one. Sending never delays polling.
// It returns the offset that confirms everything handled.
func (t *Telegram) pollLoop(ctx, sendCtx context.Context) int {
	tr := newTracker()
	failures := 0
	warned := false
	for ctx.Err() == nil {
		tr.waitIdle(ctx, inflightWait)
		offset, busy := tr.offset()
		timeout := int(t.cfg.PollTimeout / time.Second)
		if busy {
			timeout = 0 // unconfirmed updates come back at once: do not wait for new ones
		}
		updates, err := t.poll.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: timeout})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			wait := backoff(failures)
			if kind, te := classify(err); kind == errRateLimit && te.RetryAfter > 0 {
				wait = time.Duration(te.RetryAfter) * time.Second
			}
			if kind, _ := classify(err); kind == errFatal { // a revoked token: say so plainly
				t.log.Error(StartupProblem(err)+"; polling again later, messages wait", "code", errCode(err), "retry_in", wait)
			} else {
				t.log.Warn("getUpdates failed", "code", errCode(err), "err", redact(err, t.cfg.Token), "retry_in", wait)
			}
			sleep(ctx, wait)
			continue
		}
		failures = 0
		fresh := 0
		for _, u := range updates {
			if tr.add(u.UpdateID) {
				fresh++
				id := u.UpdateID
				t.dispatch(sendCtx, u, func() { tr.finish(id) })
			}
		}
		switch {
		case busy && fresh == 0 && len(updates) >= 100 && !warned:
			t.log.Warn("a full window of updates waits behind one still being handled")
			warned = true
		case !busy:
			warned = false
		}
	}
	t.disp.wait()
	offset, _ := tr.offset()
	return offset
}

// maxHandlers bounds the updates handled at once: each handler holds a deep stack, and
// with thousands of chats writing at once unbounded handlers cost tens of megabytes. A
// slow handler (a language model, at most OPENAI_TIMEOUT) holds one of them.
const maxHandlers = 128

// inflightWait is how long the poller waits for the updates in hand to finish before it
// polls again.
const inflightWait = 300 * time.Millisecond

// tracker follows the updates handed out and not yet confirmed, in the order fetched
// (update ids increase).
type tracker struct {
	mu      sync.Mutex
	order   []int        // handed out, unconfirmed, in order
	stored  map[int]bool // of those: false while in hand, true once its effects are stored
	inHand  int
	next    int // offset once everything in order is stored
	changed chan struct{}
}

func newTracker() *tracker {
	return &tracker{stored: map[int]bool{}, changed: make(chan struct{}, 1)}
}

// add records a fetched update; false when it was already handed out.
func (tr *tracker) add(id int) bool {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if _, ok := tr.stored[id]; ok {
		return false
	}
	tr.stored[id] = false
	tr.order = append(tr.order, id)
	tr.inHand++
	return true
}

// finish marks an update's effects stored.
func (tr *tracker) finish(id int) {
	tr.mu.Lock()
	if done, ok := tr.stored[id]; ok && !done {
		tr.stored[id] = true
		tr.inHand--
	}
	tr.mu.Unlock()
	select {
	case tr.changed <- struct{}{}:
	default:
	}
}

// offset returns the getUpdates offset that confirms exactly the stored prefix, and
// whether updates are still in hand.
func (tr *tracker) offset() (int, bool) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	i := 0
	for i < len(tr.order) && tr.stored[tr.order[i]] {
		delete(tr.stored, tr.order[i])
		tr.next = tr.order[i] + 1
		i++
	}
	tr.order = tr.order[i:]
	if len(tr.order) > 0 {
		return tr.order[0], true
	}
	return tr.next, false
}

// waitIdle waits until no update is in hand, at most d.
func (tr *tracker) waitIdle(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		tr.mu.Lock()
		idle := tr.inHand == 0
		tr.mu.Unlock()
		if idle {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			return
		case <-tr.changed:
		}
	}
}

// backoff returns 1s, 2s, 4s … capped at 60s.
func backoff(failures int) time.Duration {
	d := time.Second << min(failures-1, 6)
	return min(d, time.Minute)
}

// redact removes the token from an error text before it is logged.
func redact(err error, token string) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if token != "" {
		s = strings.ReplaceAll(s, token, "<token>")
	}
	return s
}

func (t *Telegram) staffChatID() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.staffChat
}

// checkStaffChat follows a recorded migration and checks the staff chat is reachable,
// logging one clear line if not.
func (t *Telegram) checkStaffChat(ctx context.Context) {
	if id, ok, err := t.moves.StaffChat(ctx, t.cfg.StaffChatID); err == nil && ok {
		t.setStaffChat(ctx, id, false)
	}
	_, err := t.send.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: t.staffChatID()}})
	if err == nil {
		return
	}
	if kind, te := classify(err); kind == errMigrated {
		t.setStaffChat(ctx, te.MigrateToChatID, true)
		return
	}
	t.log.Error("the staff chat is not reachable: add the bot to it and check STAFF_CHAT_ID; alerts wait until it is",
		"staff_chat", t.staffChatID(), "code", errCode(err), "err", redact(err, t.cfg.Token))
}

// setStaffChat switches staff messages to a new chat id (a migrated group).
func (t *Telegram) setStaffChat(ctx context.Context, id int64, record bool) {
	t.mu.Lock()
	old := t.staffChat
	t.staffChat = id
	t.mu.Unlock()
	if old == id {
		return
	}
	t.log.Warn("the staff group was upgraded to a supergroup; following it (update STAFF_CHAT_ID)",
		"old_chat", old, "new_chat", id)
	if record {
		if err := t.moves.SetStaffChat(ctx, old, id); err != nil {
			t.log.Error("record the new staff chat id", "err", err)
		}
		// Tell the staff in their new chat, so that STAFF_CHAT_ID gets updated.
		msg := dialogs.Message{Lang: t.cfg.StaffLang, Parts: []dialogs.Text{
			dialogs.T("staff.migrated", "Old", strconv.FormatInt(old, 10), "New", strconv.FormatInt(id, 10)),
		}}
		t.sends.do(dialogs.ToStaff().String(), func() {
			if _, err := t.deliver(ctx, id, msg, 0, nil); err != nil {
				t.log.Warn("could not report the migration in the staff chat", "code", errCode(err))
			}
		})
	}
}
