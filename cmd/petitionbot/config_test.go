package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaults(t *testing.T) {
	c, problems := parseConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatalf("no configuration must be valid: %v", problems)
	}
	if c.DraftTTL != 7*24*time.Hour || c.Retention != 3*365*24*time.Hour || c.DataKey != nil || c.CasePrefix != "JC" || c.DefaultLang != "zh-Hans" ||
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
		{"token without staff chat", map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "DATA_KEY": testDataKey}, "STAFF_CHAT_ID is required"},
		{"bad staff chat", map[string]string{"STAFF_CHAT_ID": "abc"}, "STAFF_CHAT_ID must be"},
		{"bad staff users", map[string]string{"STAFF_USER_IDS": "1, two"}, `"two" is not one`},
		{"bad endpoint", map[string]string{"TELEGRAM_API_ENDPOINT": "http://x/bot"}, "TELEGRAM_API_ENDPOINT must be"},
		{"bad file endpoint", map[string]string{"TELEGRAM_FILE_ENDPOINT": "ftp://x/%s/%s"}, "TELEGRAM_FILE_ENDPOINT must be"},
		{"bad redis", map[string]string{"REDIS_URL": "http://localhost", "DATA_KEY": testDataKey}, "REDIS_URL must start"},
		{"no data key on Telegram", map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-1"}, "DATA_KEY is required"},
		{"no data key with Redis", map[string]string{"REDIS_URL": "redis://localhost"}, "openssl rand -base64 32"},
		{"short data key", map[string]string{"DATA_KEY": "c2hvcnQ="}, "DATA_KEY must be 32 random bytes in base64, but it decodes to 5 bytes"},
		{"data key not base64", map[string]string{"DATA_KEY": "not a key!"}, "openssl rand -base64 32"},
		{"previous without key", map[string]string{"DATA_KEY_PREVIOUS": testDataKey}, "DATA_KEY_PREVIOUS is set without DATA_KEY"},
		{"bad previous key", map[string]string{"DATA_KEY": testDataKey, "DATA_KEY_PREVIOUS": "c2hvcnQ="}, "DATA_KEY_PREVIOUS key 1 must be"},
		{"bad retention", map[string]string{"CASE_RETENTION": "3 years"}, "CASE_RETENTION must be"},
		{"zero retention", map[string]string{"CASE_RETENTION": "0y"}, "CASE_RETENTION must be"},
		{"bad case prefix", map[string]string{"CASE_PREFIX": "jc1"}, "CASE_PREFIX must be"},
		{"long case prefix", map[string]string{"CASE_PREFIX": "ABCDEFGHIJK"}, "CASE_PREFIX must be"},
		{"bad lang", map[string]string{"BOT_DEFAULT_LANG": "fr"}, "BOT_DEFAULT_LANG must be"},
		{"bad ttl", map[string]string{"DRAFT_TTL": "0d"}, "DRAFT_TTL must be"},
		{"bad ttl unit", map[string]string{"DRAFT_TTL": "7 days"}, "DRAFT_TTL must be"},
		{"bad zone", map[string]string{"BOT_TIMEZONE": "Mars/Base"}, "BOT_TIMEZONE must be"},
		{"bad rate", map[string]string{"TELEGRAM_CHAT_RATE": "-1"}, "TELEGRAM_CHAT_RATE must be"},
		{"short job lease", map[string]string{"JOB_LEASE": "10ms"}, "JOB_LEASE must be a duration from 50ms"},
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
	for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute,
		"3y": 3 * 365 * 24 * time.Hour, "1000d": 1000 * 24 * time.Hour} {
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
			"TELEGRAM_BOT_TOKEN": token, "STAFF_CHAT_ID": "-1", "TELEGRAM_API_ENDPOINT": "http://127.0.0.1:1/bot%s/%s", "DATA_KEY": testDataKey,
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

// TestRefusesToStartWithoutDataKey: outside the console demo the program does not start
// without DATA_KEY: exit status 2 and one line saying how to make one; a malformed key is
// never printed. The console demo starts and says once that it does not encrypt.
func TestRefusesToStartWithoutDataKey(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"Telegram", map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-1"}},
		{"Telegram in memory, malformed key", map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "STAFF_CHAT_ID": "-1", "DATA_KEY": "c2VjcmV0LWtleS0xMjM="}},
		{"console on Redis", map[string]string{"REDIS_URL": "redis://127.0.0.1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"petitionbot"}, func(k string) string { return tt.env[k] }, strings.NewReader(""), &stdout, &stderr)
			if !errors.Is(err, errUsage) {
				t.Fatalf("run returned %v, want a configuration error (exit 2)", err)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "DATA_KEY") || !strings.Contains(lines[0], "openssl rand -base64 32") {
				t.Fatalf("stderr %q, want one line about DATA_KEY", stderr.String())
			}
			if strings.Contains(stderr.String(), "c2VjcmV0") {
				t.Error("the key was printed")
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"petitionbot"}, func(string) string { return "" }, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("the console demo without DATA_KEY: %v %s", err, stderr.String())
	}
	if n := strings.Count(stdout.String(), "DATA_KEY"); n != 1 {
		t.Errorf("the demo mentions DATA_KEY %d times, want once:\n%s", n, stdout.String())
	}
}
