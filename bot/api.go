package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ctxClient applies a context to every request of a tgbotapi.BotAPI, which has none of
// its own: cancelling ctx interrupts a long poll in flight. Its errors never carry the
// token (request URLs contain it).
type ctxClient struct {
	ctx   context.Context
	c     *http.Client
	token string
}

func (c ctxClient) Do(r *http.Request) (*http.Response, error) {
	resp, err := c.c.Do(r.WithContext(c.ctx))
	var ue *url.Error
	if errors.As(err, &ue) && c.token != "" {
		return resp, &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, c.token, "<token>"), Err: ue.Err}
	}
	return resp, err
}

// maxConcurrentCalls bounds the Bot API requests in flight at once, and sizes the pool of
// keep-alive connections so that concurrent senders reuse connections instead of dialling.
// The pool keeps twice as many: a connection goes back to it a moment after its response
// was read, so the next request may open one more, which must not then be closed.
const maxConcurrentCalls = 64

// NewAPI connects to the Bot API at endpoint ("http://host:port/bot%s/%s"; empty for
// Telegram's own) and checks the token with getMe. Requests made through the returned API
// end when ctx does or after timeout; they share a pool of keep-alive connections.
func NewAPI(ctx context.Context, token, endpoint string, timeout time.Duration) (*tgbotapi.BotAPI, error) {
	if endpoint == "" {
		endpoint = tgbotapi.APIEndpoint
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 2 * maxConcurrentCalls
	transport.MaxIdleConnsPerHost = 2 * maxConcurrentCalls
	client := &http.Client{Timeout: timeout, Transport: transport}
	bot, err := tgbotapi.NewBotAPIWithClient(token, endpoint, ctxClient{ctx: ctx, c: client, token: token})
	if err != nil && token != "" && strings.Contains(err.Error(), token) { // else keep its type
		return nil, errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
	}
	return bot, err
}

// errKind classifies a Bot API error.
type errKind int

const (
	errTransient errKind = iota // network, 5xx, a proxy's non-JSON page: try again
	errRateLimit                // 429: wait RetryAfter
	errMigrated                 // the group became a supergroup: resend to the new id
	errPermanent                // 400/403 and the like: sending again cannot help
	errFatal                    // 401/404: the token was revoked or the endpoint is wrong; nothing can be sent
)

func classify(err error) (errKind, *tgbotapi.Error) {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		switch {
		case te.RetryAfter > 0 || te.Code == http.StatusTooManyRequests:
			return errRateLimit, te
		case te.MigrateToChatID != 0:
			return errMigrated, te
		case te.Code >= 500:
			return errTransient, te
		case te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound:
			return errFatal, te
		case te.Code >= 400:
			return errPermanent, te
		}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errTransient, nil
	}
	return errTransient, nil
}

// errCode returns the Bot API error code of err, or 0, for logs.
func errCode(err error) int {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// sleep waits d or until ctx ends; it reports whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
