package bot

import (
	"context"
	"encoding/json"
	"math"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/petitionbot/petitionbot/dialogs"
)

// sendAttempts bounds the tries of one API call on transient errors and rate limits.
const sendAttempts = 6

// limits spaces sends to stay under Telegram's limits: per chat, overall, and per group.
type limits struct {
	mu        sync.Mutex
	chats     map[int64]*rate.Limiter
	perChat   rate.Limit
	group     rate.Limit
	global    *rate.Limiter
	lastPrune time.Time
}

func newLimits(perChat, global, groupPerMin float64) *limits {
	if perChat <= 0 {
		perChat = 1
	}
	if global <= 0 {
		global = 25
	}
	if groupPerMin <= 0 {
		groupPerMin = 18
	}
	return &limits{
		chats: map[int64]*rate.Limiter{}, perChat: rate.Limit(perChat),
		group: rate.Limit(groupPerMin / 60), global: rate.NewLimiter(rate.Limit(global), max(1, int(math.Ceil(global)))),
	}
}

// wait blocks until a message may be sent to chat (0: no chat, e.g. a callback answer).
// A proactive message (proactive(ctx)) passes the chat's limit only: the shared pacer
// already spaced it, and it must not take the overall budget replies wait on.
func (l *limits) wait(ctx context.Context, chat int64) error {
	if chat != 0 {
		l.mu.Lock()
		lim, ok := l.chats[chat]
		if !ok {
			if chat < 0 { // groups and channels
				lim = rate.NewLimiter(l.group, 3)
			} else {
				lim = rate.NewLimiter(l.perChat, 3)
			}
			l.chats[chat] = lim
		}
		if time.Since(l.lastPrune) > time.Minute { // forget chats idle long enough to be full again
			for id, other := range l.chats {
				if id != chat && other.Tokens() >= float64(other.Burst()) {
					delete(l.chats, id)
				}
			}
			l.lastPrune = time.Now()
		}
		l.mu.Unlock()
		if err := lim.Wait(ctx); err != nil {
			return err
		}
	}
	if proactive(ctx) {
		return nil
	}
	return l.global.Wait(ctx)
}

type proactiveKey struct{}

// withProactive marks ctx as sending a proactive message.
func withProactive(ctx context.Context, on bool) context.Context {
	if !on {
		return ctx
	}
	return context.WithValue(ctx, proactiveKey{}, true)
}

func proactive(ctx context.Context) bool { v, _ := ctx.Value(proactiveKey{}).(bool); return v }

// request makes one Bot API request, waiting while maxConcurrentCalls are in flight: the
// pool keeps that many connections alive, so a request never dials a new one in vain.
// Every request of the transport goes through it (the poll has its own client).
func (t *Telegram) request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	t.inFlight <- struct{}{}
	defer func() { <-t.inFlight }()
	return t.send.Request(c)
}

// call makes one API request with rate limiting, honouring retry_after on 429 and
// retrying transient failures with backoff. Permanent errors and migrations are returned
// at once.
func (t *Telegram) call(ctx context.Context, chat int64, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	var err error
	for attempt := 1; attempt <= sendAttempts; attempt++ {
		if err = t.limits.wait(ctx, chat); err != nil {
			return nil, err
		}
		var resp *tgbotapi.APIResponse
		resp, err = t.request(c)
		if err == nil {
			return resp, nil
		}
		kind, te := classify(err)
		wait := backoff(attempt)
		switch kind {
		case errPermanent, errMigrated, errFatal:
			return nil, err
		case errRateLimit:
			if te.RetryAfter > 0 {
				wait = time.Duration(te.RetryAfter) * time.Second
			}
		}
		if ctx.Err() != nil || attempt == sendAttempts {
			break
		}
		t.log.Warn("Bot API call failed, retrying", "chat", chat, "code", errCode(err), "retry_in", wait)
		if !sleep(ctx, wait) {
			break
		}
	}
	return nil, err
}

// parts renders a message as the texts of the messages it is sent in: split under
// Telegram's length limit.
func (t *Telegram) parts(m dialogs.Message) []string {
	text, err := t.render.HTML(m)
	if err != nil {
		t.log.Error("a message is missing from the locales", "err", err)
	}
	return Split(text, MaxText)
}

// deliver sends a message in parts, the buttons on the last one. It skips the first skip
// parts (sent before) and calls sent after each accepted part but the last. It returns the
// id of the last message sent.
func (t *Telegram) deliver(ctx context.Context, chat int64, m dialogs.Message, skip int, sent func(n int)) (int, error) {
	resp, err := t.deliverParts(ctx, chat, m, t.parts(m), skip, sent)
	return messageID(resp), err
}

// deliverParts is deliver with the message already rendered into parts; it returns the
// last part's response (its message id is decoded only by who needs it).
func (t *Telegram) deliverParts(ctx context.Context, chat int64, m dialogs.Message, parts []string, skip int, sent func(n int)) (*tgbotapi.APIResponse, error) {
	markup := t.keyboard(m)
	var last *tgbotapi.APIResponse
	for i := skip; i < len(parts); i++ {
		msg := tgbotapi.NewMessage(chat, parts[i])
		msg.ParseMode = tgbotapi.ModeHTML
		msg.DisableWebPagePreview = true
		if i == len(parts)-1 && markup != nil {
			msg.ReplyMarkup = *markup
		}
		resp, err := t.call(ctx, chat, msg)
		if err != nil {
			return nil, err
		}
		last = resp
		if sent != nil && i < len(parts)-1 {
			sent(i + 1)
		}
	}
	return last, nil
}

// messageID reads the message id of a send's or edit's result, 0 if there is none.
func messageID(resp *tgbotapi.APIResponse) int {
	if resp == nil {
		return 0
	}
	var m struct {
		MessageID int `json:"message_id"`
	}
	_ = json.Unmarshal(resp.Result, &m)
	return m.MessageID
}

func (t *Telegram) keyboard(m dialogs.Message) *tgbotapi.InlineKeyboardMarkup {
	if len(m.Buttons) == 0 {
		return nil
	}
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(m.Buttons))
	for _, r := range m.Buttons {
		var row []tgbotapi.InlineKeyboardButton
		for _, b := range r {
			label, err := t.render.Label(m.Lang, b.Label)
			if err != nil {
				t.log.Error("a button label is missing from the locales", "err", err)
			}
			if len(b.Data) > 64 {
				t.log.Error("callback data over 64 bytes dropped", "bytes", len(b.Data))
				continue
			}
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, b.Data))
		}
		rows = append(rows, row)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}
