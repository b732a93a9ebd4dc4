package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/store"
)

// errStopped: the program was told to stop while it waited for Redis or the Bot API at
// start; it exits 0.
var errStopped = errors.New("stopped while starting")

// openRedis connects to REDIS_URL, or starts the embedded store. A bad URL is a
// configuration error (one line, exit 2); a server that does not answer is waited for,
// with one clear line per try.
func openRedis(ctx context.Context, cfg config, log *slog.Logger, stderr io.Writer) (redis.UniversalClient, func(), error) {
	if cfg.RedisURL == "" {
		rdb, stop, err := store.Embedded()
		return rdb, stop, err
	}
	rdb, err := store.Dial(cfg.RedisURL)
	if err != nil {
		fmt.Fprintln(stderr, "config:", err)
		return nil, nil, errUsage
	}
	err = retryStart(ctx, log, func() error { return rdb.Ping(ctx).Err() },
		func(error) string { return "Redis is not reachable: check REDIS_URL and that Redis runs" }, nil)
	if err != nil {
		rdb.Close()
		return nil, nil, err
	}
	return rdb, func() { rdb.Close() }, nil
}

// startTelegram waits until the Bot API accepts the token.
func startTelegram(ctx context.Context, log *slog.Logger, token string, connect func() (*bot.Telegram, error)) (*bot.Telegram, error) {
	var tg *bot.Telegram
	err := retryStart(ctx, log, func() (err error) { tg, err = connect(); return err }, bot.StartupProblem,
		func(err error) string { return redactToken(err, token) })
	return tg, err
}

// retryStart calls try until it succeeds, with backoff (bot.StartupBackoff), logging
// problem(err) and the error (shown by detail, else as is) before each wait. It returns
// errStopped when ctx ends first.
func retryStart(ctx context.Context, log *slog.Logger, try func() error, problem func(error) string, detail func(error) string) error {
	for failures := 1; ; failures++ {
		err := try()
		if err == nil {
			if failures > 1 {
				log.Info("connected after waiting", "tries", failures)
			}
			return nil
		}
		if ctx.Err() != nil {
			return errStopped
		}
		wait := bot.StartupBackoff(failures)
		text := err.Error()
		if detail != nil {
			text = detail(err)
		}
		log.Error(problem(err)+"; retrying", "err", text, "retry_in", wait, "tries", failures)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errStopped
		case <-t.C:
		}
	}
}
