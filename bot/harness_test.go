package bot_test

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/locales"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

const (
	staffChat = int64(-100777)
	// wait bounds every wait for the bot; it only decides when a test gives up.
	wait = 15 * time.Second
)

// harness is one bot installation: a fake Bot API, a Redis key space, the engine and
// the stores, wired as cmd/petitionbot does. Transports are started with start.
type harness struct {
	t         *testing.T
	fake      *fakeapi.Server
	rdb       *redis.Client
	prefix    string
	db        *store.DB
	render    *bot.Renderer
	engineCfg dialogs.Config
	svc       *dialogs.Service
	logs      *logBuffer
	log       *slog.Logger
	poll      time.Duration  // TelegramConfig.PollTimeout
	timers    *bot.Timers    // set on every transport started, when not nil
	out       dialogs.Outbox // the senders' outbox; nil: db
	tune      func(*bot.TelegramConfig)
}

// newHarness builds an installation. Options go to the fake API; a long poll wait there
// (WithMaxPollWait) together with h.poll keeps a getUpdates call open until an update
// comes, which some tests need to know which request gets an injected failure.
func newHarness(t *testing.T, opts ...fakeapi.Option) *harness {
	t.Helper()
	bundle, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	rdb, prefix := redistest.New(t)
	h := &harness{
		t: t, rdb: rdb, prefix: prefix, fake: fakeapi.New(t, opts...), render: bot.NewRenderer(bundle), logs: &logBuffer{},
		db: store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour, Lease: leaseForTests}),
		engineCfg: dialogs.Config{
			Location: time.UTC, DraftTTL: time.Hour,
			Procuratorate: dialogs.Procuratorate{Name: "测试市人民检察院 <A&B>", Address: "测试路1号", Phone: "0857-1234567"},
		},
	}
	h.fake.AddChat(staffChat, "supergroup")
	h.engineCfg.StaffLang = dialogs.LangEn
	h.svc = &dialogs.Service{Engine: dialogs.NewEngine(h.engineCfg, h.db, nil), Store: h.db}
	h.log = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("bot log:\n%s", h.logs.String())
		}
	})
	return h
}

// running is a started Telegram transport.
type running struct {
	t          *testing.T
	cancel     context.CancelFunc // ends polling
	cancelSend context.CancelFunc // ends sends
	done       chan error
	stopped    bool
}

// start runs a new Telegram transport on the harness; it is stopped at the end of the test.
func (h *harness) start() *running { return h.startWith(false) }

// startWith starts a transport that polls, or (noPoll) only sends and fires timed jobs.
func (h *harness) startWith(noPoll bool) *running {
	h.t.Helper()
	sendCtx, cancelSend := context.WithCancel(context.Background())
	cfg := bot.TelegramConfig{
		Token: h.fake.Token(), APIEndpoint: h.fake.APIEndpoint(),
		StaffChatID: staffChat, StaffLang: dialogs.LangEn, PollTimeout: h.poll,
		PerChatRate: 1000, GlobalRate: 1000, GroupPerMin: 60000, Lease: leaseForTests, SweepEvery: 300 * time.Millisecond,
		NoPoll: noPoll,
	}
	if h.tune != nil {
		h.tune(&cfg)
	}
	var out dialogs.Outbox = h.db
	if h.out != nil {
		out = h.out
	}
	tg, err := bot.NewTelegram(sendCtx, cfg, h.svc, out, h.db, h.render, h.log)
	if err != nil {
		cancelSend()
		h.t.Fatalf("NewTelegram: %v", err)
	}
	if h.timers != nil {
		tg.SetTimers(*h.timers)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{t: h.t, cancel: cancel, cancelSend: cancelSend, done: make(chan error, 1)}
	go func() { r.done <- tg.Run(ctx, sendCtx) }()
	h.t.Cleanup(func() { r.cancelSend(); r.stop() })
	return r
}

// stop cancels polling and returns what Run returned; it fails the test if Run does not
// return within wait.
func (r *running) stop() error {
	r.t.Helper()
	if r.stopped {
		return nil
	}
	r.stopped = true
	r.cancel()
	select {
	case err := <-r.done:
		return err
	case <-time.After(wait):
		r.t.Fatal("Run did not return after its context was cancelled")
		return nil
	}
}

// want returns the texts the bot should send for inputs typed one after another into a
// fresh chat: the engine's replies, rendered and split as Telegram receives them.
func (h *harness) want(chat int64, inputs ...dialogs.Input) []string {
	h.t.Helper()
	eng := dialogs.NewEngine(h.engineCfg, h.db, nil)
	var s dialogs.Session
	var out []string
	for _, in := range inputs {
		in.ChatID, in.UserID = chat, chat
		fx, err := eng.Handle(context.Background(), &s, in)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, d := range fx.Deliveries {
			if d.To == dialogs.ToChat(chat) {
				out = append(out, h.rendered(d.Msg)...)
			}
		}
	}
	return out
}

// rendered renders a message as Telegram receives it: HTML, split into parts.
func (h *harness) rendered(m dialogs.Message) []string {
	h.t.Helper()
	text, err := h.render.HTML(m)
	if err != nil {
		h.t.Fatal(err)
	}
	return bot.Split(text, bot.MaxText)
}

// wantTexts is want for typed texts.
func (h *harness) wantTexts(chat int64, texts ...string) []string {
	ins := make([]dialogs.Input, len(texts))
	for i, s := range texts {
		ins[i] = dialogs.Input{Kind: dialogs.KindText, Text: s}
	}
	return h.want(chat, ins...)
}

// texts returns the texts the bot has sent to chat, oldest first.
func (h *harness) texts(chat int64) []string {
	var out []string
	for _, m := range h.fake.Sent(chat) {
		out = append(out, m.Text)
	}
	return out
}

// waitTexts waits until chat holds at least n messages and returns all its texts.
func (h *harness) waitTexts(chat int64, n int) []string {
	h.t.Helper()
	if !h.fake.WaitSent(chat, n, wait) {
		h.t.Fatalf("chat %d: %d messages, want at least %d: %q", chat, len(h.fake.Sent(chat)), n, h.texts(chat))
	}
	return h.texts(chat)
}

// waitPolling waits until the bot has a getUpdates call open.
func (h *harness) waitPolling() {
	h.t.Helper()
	if !h.fake.WaitFor(h.fake.Polling, wait) {
		h.t.Fatal("the bot does not poll")
	}
}

// waitRequests waits until at least n requests of method arrived.
func (h *harness) waitRequests(method string, n int) {
	h.t.Helper()
	if !h.fake.WaitFor(func() bool { return h.fake.Requests(method) >= n }, wait) {
		h.t.Fatalf("%d %s requests, want at least %d", h.fake.Requests(method), method, n)
	}
}

// sendsTo counts the sendMessage requests addressed to chat, failed ones included.
func (h *harness) sendsTo(chat int64) int {
	n := 0
	for _, p := range h.fake.Calls("sendMessage") {
		if p.Get("chat_id") == strconv.FormatInt(chat, 10) {
			n++
		}
	}
	return n
}

// leaseForTests is the senders' claim in tests: short, so that a take-over is quick.
const leaseForTests = 2 * time.Second

// seed queues m for chat in the outbox, as a process that committed it and died before
// sending would leave it (its claim released), after parts of it were sent.
func (h *harness) seed(chat int64, m dialogs.Message, partsSent int) {
	h.t.Helper()
	ctx := context.Background()
	key := dialogs.SessionKey{Chat: chat, User: chat}
	batches, err := h.db.Commit(ctx, key, "seed", 0, dialogs.Effects{Deliveries: []dialogs.Delivery{{ID: "seed/0", To: dialogs.ToChat(chat), Msg: m}}})
	if err != nil || len(batches) != 1 {
		h.t.Fatalf("seed: %v %v", batches, err)
	}
	if partsSent > 0 {
		if err := h.db.Progress(ctx, batches[0], "seed/0", partsSent); err != nil {
			h.t.Fatal(err)
		}
	}
	if _, _, err := h.db.Done(ctx, batches[0], dialogs.Sent{RetryIn: 1}); err != nil {
		h.t.Fatal(err)
	}
}

// outboxEmpty reports whether nothing waits to be sent to anyone.
func (h *harness) outboxEmpty() bool {
	n, err := h.rdb.Exists(context.Background(), h.prefix+"{pb}:ready").Result()
	return err == nil && n == 0
}

// logBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// has reports whether some log line contains every one of parts.
func (l *logBuffer) has(parts ...string) bool {
	for _, line := range strings.Split(l.String(), "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}
