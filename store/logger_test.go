package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/store"
)

// TestRedisLogger: go-redis' lines become one structured warning each, without a
// password from a URL and cut to a bounded length.
func TestRedisLogger(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		args         []any
		want         string
		wantNot      string
	}{
		{"pool error", "redis: connection pool: failed to dial after %d attempts: %v", []any{5, "dial tcp 127.0.0.1:6390: connect: connection refused"},
			`level=WARN msg="redis client" detail="redis: connection pool: failed to dial after 5 attempts: dial tcp 127.0.0.1:6390: connect: connection refused"`, ""},
		{"sentinel with a password", "sentinel: new master=%q addr=%q", []any{"mymaster", "redis://user:s3cret@10.0.0.1:6379"},
			`redis://user:***@10.0.0.1:6379`, "s3cret"},
		{"a long line", "%s", []any{strings.Repeat("x", 1000)}, "…", strings.Repeat("x", 301)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			store.RedisLogger(slog.New(slog.NewTextHandler(&buf, nil))).Printf(context.Background(), tc.format, tc.args...)
			got := buf.String()
			if strings.Count(got, "\n") != 1 || !strings.Contains(got, tc.want) || (tc.wantNot != "" && strings.Contains(got, tc.wantNot)) {
				t.Errorf("logged %q, want one line with %q and without %q", got, tc.want, tc.wantNot)
			}
		})
	}
}
