package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// At start the bot waits for what it needs instead of giving up: a Bot API that cannot be
// reached, refuses the token or answers with a proxy's error page is tried again with
// backoff, with one clear line each time. Only configuration errors end the program.

// StartupProblem says in one line why the Bot API could not be used, for the log.
func StartupProblem(err error) string {
	var te *tgbotapi.Error
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Code == 401:
		return "the Bot API refuses the token: check TELEGRAM_BOT_TOKEN (revoked or mistyped?)"
	case errors.As(err, &te) && te.Code == 404:
		return "the Bot API answers 404 Not Found: check TELEGRAM_API_ENDPOINT and TELEGRAM_BOT_TOKEN"
	case errors.As(err, &te) && (te.Code == 429 || te.RetryAfter > 0):
		return "the Bot API asks to wait (429 Too Many Requests)"
	case errors.As(err, &te) && te.Code >= 500:
		return "the Bot API answered with a server error"
	case errors.As(err, &te):
		return "the Bot API refused the request"
	case errors.As(err, &se):
		return "the Bot API answered with a page that is not the Bot API's (a proxy's error page?)"
	}
	return "the Bot API is not reachable (network, DNS, proxy or TELEGRAM_API_ENDPOINT)"
}

// StartupBackoff returns 1s, 2s, 4s … capped at 30s: the waits between tries at start.
func StartupBackoff(failures int) time.Duration {
	return min(time.Second<<min(failures-1, 5), 30*time.Second)
}

// dialAPI is NewAPI, tried until it works or ctx ends, logging why each try failed.
func dialAPI(ctx context.Context, log *slog.Logger, token, endpoint string, timeout time.Duration) (*tgbotapi.BotAPI, error) {
	for failures := 1; ; failures++ {
		api, err := NewAPI(ctx, token, endpoint, timeout)
		if err == nil {
			return api, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait := StartupBackoff(failures)
		log.Error(StartupProblem(err)+"; retrying", "code", errCode(err), "err", redact(err, token), "retry_in", wait)
		if !sleep(ctx, wait) {
			return nil, ctx.Err()
		}
	}
}
