package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c, problems := parseConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatalf("no configuration must be valid: %v", problems)
	}
	if c.DraftTTL != 7*24*time.Hour || c.CasePrefix != "JC" || c.DefaultLang != "zh-Hans" ||
		c.RedisPrefix != "petitionbot:" || c.Location.String() != "Asia/Shanghai" {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestConfigProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"token without staff chat", map[string]string{"TELEGRAM_BOT_TOKEN": "1:x"}, "STAFF_CHAT_ID is required"},
		{"bad staff chat", map[string]string{"STAFF_CHAT_ID": "abc"}, "STAFF_CHAT_ID must be"},
		{"bad staff users", map[string]string{"STAFF_USER_IDS": "1, two"}, `"two" is not one`},
		{"bad endpoint", map[string]string{"TELEGRAM_API_ENDPOINT": "http://x/bot"}, "TELEGRAM_API_ENDPOINT must be"},
		{"bad file endpoint", map[string]string{"TELEGRAM_FILE_ENDPOINT": "ftp://x/%s/%s"}, "TELEGRAM_FILE_ENDPOINT must be"},
		{"bad redis", map[string]string{"REDIS_URL": "http://localhost"}, "REDIS_URL must start"},
		{"bad case prefix", map[string]string{"CASE_PREFIX": "jc1"}, "CASE_PREFIX must be"},
		{"long case prefix", map[string]string{"CASE_PREFIX": "ABCDEFGHIJK"}, "CASE_PREFIX must be"},
		{"bad lang", map[string]string{"BOT_DEFAULT_LANG": "fr"}, "BOT_DEFAULT_LANG must be"},
		{"bad ttl", map[string]string{"DRAFT_TTL": "0d"}, "DRAFT_TTL must be"},
		{"bad ttl unit", map[string]string{"DRAFT_TTL": "7 days"}, "DRAFT_TTL must be"},
		{"bad zone", map[string]string{"BOT_TIMEZONE": "Mars/Base"}, "BOT_TIMEZONE must be"},
		{"bad rate", map[string]string{"TELEGRAM_CHAT_RATE": "-1"}, "TELEGRAM_CHAT_RATE must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := parseConfig(func(k string) string { return tt.env[k] })
			if len(problems) != 1 || !strings.Contains(problems[0], tt.want) {
				t.Fatalf("problems %q, want one containing %q", problems, tt.want)
			}
		})
	}
}

func TestParseTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := parseTTL(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
}

// TestTokenNeverPrinted: when the Bot API cannot be reached, the bot keeps trying with a
// clear line, and neither that line nor anything else carries the token (request URLs
// contain it); told to stop meanwhile, it exits cleanly.
func TestTokenNeverPrinted(t *testing.T) {
	const token = "123456:SECRET-TOKEN-abc"
	getenv := func(k string) string {
		return map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "STAFF_CHAT_ID": "-1", "TELEGRAM_API_ENDPOINT": "http://127.0.0.1:1/bot%s/%s",
		}[k]
	}
	stderr := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"petitionbot"}, getenv, strings.NewReader(""), &bytes.Buffer{}, stderr)
	}()
	deadline := time.Now().Add(wait)
	for !strings.Contains(stderr.String(), "the Bot API is not reachable") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("stopped while waiting for the Bot API: %v, want nil", err)
	}
	if !strings.Contains(stderr.String(), "the Bot API is not reachable") {
		t.Errorf("no clear line about the unreachable Bot API:\n%s", stderr.String())
	}
	if strings.Contains(stderr.String(), "SECRET-TOKEN") {
		t.Fatalf("the token was printed:\n%s", stderr.String())
	}
}
