package store

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// RedisLogger adapts log to go-redis' logger (pass it to redis.SetLogger, once, from
// main): the library's own lines — reconnects, pool and Sentinel events, which it prints
// to stderr unstructured by default — become warnings with its text as "detail". go-redis
// logs addresses and errors, never commands or values; the text is cut to 300 characters
// and a password in a URL is hidden all the same.
func RedisLogger(log *slog.Logger) interface {
	Printf(ctx context.Context, format string, v ...any)
} {
	return redisLogger{log: log}
}

type redisLogger struct{ log *slog.Logger }

// urlPassword matches the user:password@ part of a URL.
var urlPassword = regexp.MustCompile(`(://[^:/@\s]*):[^@\s]*@`)

func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	s := strings.TrimSpace(fmt.Sprintf(format, v...))
	s = urlPassword.ReplaceAllString(s, "$1:***@")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	l.log.WarnContext(context.WithoutCancel(ctx), "redis client", "detail", s)
}
