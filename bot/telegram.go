package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// Outbox is where the messages of handled updates wait until Telegram accepted them.
type Outbox interface {
	Pending(ctx context.Context, chatID int64) (store.Outgoing, bool, error)
	Ack(ctx context.Context, chatID int64, o store.Outgoing) error
	PartsSent(ctx context.Context, chatID int64) (int, error)
	SetPartsSent(ctx context.Context, chatID int64, n int) error
	OutboxChats(ctx context.Context) ([]int64, error)
}

// Notices is the staff notice queue and the case register behind it.
type Notices interface {
	NextNotice(ctx context.Context) (store.Notice, bool, error)
	AckNotice(ctx context.Context, n store.Notice) error
	Get(ctx context.Context, number string) (dialogs.Case, error)
	StaffChat(ctx context.Context, configured int64) (int64, bool, error)
	SetStaffChat(ctx context.Context, old, new int64) error
}

// TelegramConfig holds the Telegram transport's settings.
type TelegramConfig struct {
	Token       string
	APIEndpoint string         // "http://host:port/bot%s/%s"; empty: api.telegram.org
	StaffChatID int64          // where staff alerts go
	StaffLang   string         // language of staff messages
	Location    *time.Location // times in staff messages
	PollTimeout time.Duration  // long-poll wait; default 25s
	SendTimeout time.Duration  // one API call; default 30s
	PerChatRate float64        // messages per second to one chat; default 1 (burst 3)
	GlobalRate  float64        // messages per second overall; default 25
	GroupPerMin float64        // messages per minute into the staff group; default 18
	SweepEvery  time.Duration  // retry of undelivered messages; default 30s
}

// Telegram runs the bot on Telegram by long polling.
type Telegram struct {
	cfg     TelegramConfig
	svc     *dialogs.Service
	out     Outbox
	notices Notices
	render  *Renderer
	log     *slog.Logger

	send   *tgbotapi.BotAPI
	poll   *tgbotapi.BotAPI
	limits *limits
	disp   *dispatcher   // handles updates, per chat in order
	sends  *dispatcher   // delivers outboxes, per chat in order, apart from handling
	wakeup chan struct{} // pokes the staff notifier

	mu        sync.Mutex
	staffChat int64
}

// NewTelegram connects to the Bot API (getMe). sendCtx bounds every send; polling has its
// own context, given to Run.
func NewTelegram(sendCtx context.Context, cfg TelegramConfig, svc *dialogs.Service, out Outbox, notices Notices, r *Renderer, log *slog.Logger) (*Telegram, error) {
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 25 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = 30 * time.Second
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	send, err := NewAPI(sendCtx, cfg.Token, cfg.APIEndpoint, cfg.SendTimeout)
	if err != nil {
		return nil, fmt.Errorf("connect to the Bot API: %w", err)
	}
	return &Telegram{
		cfg: cfg, svc: svc, out: out, notices: notices, render: r, log: log,
		send: send, limits: newLimits(cfg.PerChatRate, cfg.GlobalRate, cfg.GroupPerMin),
		disp: newDispatcher(log), sends: newDispatcher(log), wakeup: make(chan struct{}, 1), staffChat: cfg.StaffChatID,
	}, nil
}

// Run polls until ctx ends, then stops polling, finishes the updates in hand, confirms
// them to Telegram and returns nil. sendCtx (given to NewTelegram) must outlive ctx so the
// last replies can still be sent.
func (t *Telegram) Run(ctx context.Context, sendCtx context.Context) error {
	poll, err := NewAPI(ctx, t.cfg.Token, t.cfg.APIEndpoint, t.cfg.PollTimeout+15*time.Second)
	if err != nil {
		return fmt.Errorf("connect to the Bot API: %w", err)
	}
	t.poll = poll
	t.checkStaffChat(sendCtx)
	t.sweep(sendCtx)

	var staff, sweeper sync.WaitGroup
	staffCtx, stopStaff := context.WithCancel(sendCtx)
	sweepCtx, stopSweep := context.WithCancel(sendCtx)
	staff.Add(1)
	go func() { defer staff.Done(); t.staffLoop(staffCtx) }()
	sweeper.Add(1)
	go func() { defer sweeper.Done(); t.sweepLoop(sweepCtx) }()

	offset := t.pollLoop(ctx, sendCtx)

	t.log.Info("stopping: finishing updates in hand")
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
			t.log.Warn("could not confirm the last updates; they will be delivered again and skipped", "err", err)
		}
	}
	t.pokeStaff()
	stopStaff()
	staff.Wait()
	return nil
}

// pollLoop fetches updates and hands each batch to the chats' workers; it asks for the
// next batch (which confirms this one) only once every update of it is stored, which does
// not wait for sending: a chat held back by Telegram's rate limits delays no other chat.
// It returns the offset that confirms everything handled.
func (t *Telegram) pollLoop(ctx, sendCtx context.Context) int {
	offset, failures := 0, 0
	for ctx.Err() == nil {
		updates, err := t.poll.GetUpdates(tgbotapi.UpdateConfig{
			Offset: offset, Limit: 100, Timeout: int(t.cfg.PollTimeout / time.Second),
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			wait := backoff(failures)
			if kind, te := classify(err); kind == errRateLimit && te.RetryAfter > 0 {
				wait = time.Duration(te.RetryAfter) * time.Second
			}
			t.log.Warn("getUpdates failed", "code", errCode(err), "err", redact(err, t.cfg.Token), "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		failures = 0
		var batch sync.WaitGroup
		for _, u := range updates {
			batch.Add(1)
			t.dispatch(sendCtx, u, batch.Done)
			offset = u.UpdateID + 1
		}
		batch.Wait()
	}
	return offset
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
	if id, ok, err := t.notices.StaffChat(ctx, t.cfg.StaffChatID); err == nil && ok {
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
		if err := t.notices.SetStaffChat(ctx, old, id); err != nil {
			t.log.Error("record the new staff chat id", "err", err)
		}
	}
}
