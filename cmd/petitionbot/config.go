package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// config is every setting, read once from the environment.
type config struct {
	Token        string
	APIEndpoint  string
	FileEndpoint string
	StaffChatID  int64
	StaffUserIDs []int64
	RedisURL     string
	RedisPrefix  string
	CasePrefix   string
	DefaultLang  string
	DraftTTL     time.Duration
	Location     *time.Location
	ProcName     string
	ProcAddress  string
	ProcPhone    string
	ChatRate     float64  // messages per second to one chat
	GlobalRate   float64  // messages per second overall
	GroupRate    float64  // messages per minute into a group
	DataKey      []byte   // DATA_KEY; nil only in the console demo
	PreviousKeys [][]byte // DATA_KEY_PREVIOUS: still decrypt, never encrypt
	Retention    time.Duration
	Poll         bool // poll for updates (TELEGRAM_POLL)

	FollowupOffsets  []time.Duration
	FollowupHours    dialogs.Hours
	FollowupReminder time.Duration
	FollowupRate     float64 // proactive messages per second overall, every process together
	DigestAt         string  // "HH:MM", "" for none
	ReviewWarnDays   int

	OutboxLease time.Duration // a sender's claim on deliveries; 0: the store's default
	OutboxSweep time.Duration // the longest wait between looks for undelivered messages; 0: the default
	JobLease    time.Duration // a scheduler's claim on a due job; 0: the store's default
}

var casePrefixRE = regexp.MustCompile(`^[A-Z]{1,10}$`)

// parseConfig reads the environment; it returns one line per problem found.
func parseConfig(getenv func(string) string) (config, []string) {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := config{
		Token:        get("TELEGRAM_BOT_TOKEN", ""),
		APIEndpoint:  get("TELEGRAM_API_ENDPOINT", ""),
		FileEndpoint: get("TELEGRAM_FILE_ENDPOINT", "https://api.telegram.org/file/bot%s/%s"),
		RedisURL:     get("REDIS_URL", ""),
		RedisPrefix:  get("REDIS_PREFIX", "petitionbot:"),
		CasePrefix:   get("CASE_PREFIX", "JC"),
		DefaultLang:  get("BOT_DEFAULT_LANG", "zh-Hans"),
		ProcName:     get("PROCURATORATE_NAME", "人民检察院"),
		ProcAddress:  get("PROCURATORATE_ADDRESS", "—"),
		ProcPhone:    get("PROCURATORATE_PHONE", "12309"),
	}
	for _, e := range []struct{ name, value string }{{"TELEGRAM_API_ENDPOINT", c.APIEndpoint}, {"TELEGRAM_FILE_ENDPOINT", c.FileEndpoint}} {
		if e.value != "" && (strings.Count(e.value, "%s") != 2 || !(strings.HasPrefix(e.value, "http://") || strings.HasPrefix(e.value, "https://"))) {
			bad("%s must be an http(s) URL with two %%s (token, then method or file path), e.g. http://127.0.0.1:8081/bot%%s/%%s", e.name)
		}
	}
	if v := get("STAFF_CHAT_ID", ""); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 {
			bad("STAFF_CHAT_ID must be a chat id such as -1001234567890, got %q", v)
		}
		c.StaffChatID = id
	} else if c.Token != "" {
		bad("STAFF_CHAT_ID is required with TELEGRAM_BOT_TOKEN: the chat where staff get new applications")
	}
	if v := get("STAFF_USER_IDS", ""); v != "" {
		for _, f := range strings.Split(v, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				bad("STAFF_USER_IDS must be comma-separated user ids, %q is not one", strings.TrimSpace(f))
				continue
			}
			c.StaffUserIDs = append(c.StaffUserIDs, id)
		}
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("REDIS_URL must start with redis:// or rediss://")
	}
	if !casePrefixRE.MatchString(c.CasePrefix) {
		bad("CASE_PREFIX must be 1 to 10 capital letters A-Z, got %q", c.CasePrefix)
	}
	if c.DefaultLang != "zh-Hans" && c.DefaultLang != "en" {
		bad("BOT_DEFAULT_LANG must be zh-Hans or en, got %q", c.DefaultLang)
	}
	rates := []struct {
		name string
		def  float64
		dst  *float64
	}{{"TELEGRAM_CHAT_RATE", 1, &c.ChatRate}, {"TELEGRAM_GLOBAL_RATE", 25, &c.GlobalRate}, {"TELEGRAM_GROUP_RATE", 18, &c.GroupRate}}
	for _, r := range rates {
		*r.dst = r.def
		if v := get(r.name, ""); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				bad("%s must be a positive number, got %q", r.name, v)
				continue
			}
			*r.dst = f
		}
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"OUTBOX_LEASE", &c.OutboxLease}, {"OUTBOX_SWEEP", &c.OutboxSweep}, {"JOB_LEASE", &c.JobLease}} {
		if v := get(d.name, ""); v != "" {
			dur, err := time.ParseDuration(v)
			if err != nil || dur < 50*time.Millisecond || dur > time.Hour {
				bad("%s must be a duration from 50ms to 1h such as 5s, got %q", d.name, v)
				continue
			}
			*d.dst = dur
		}
	}
	ttl, err := parseTTL(get("DRAFT_TTL", "7d"))
	if err != nil {
		bad("DRAFT_TTL must be a positive duration such as 7d, 36h or 90m, got %q", get("DRAFT_TTL", ""))
	}
	c.DraftTTL = ttl
	loc, err := time.LoadLocation(get("BOT_TIMEZONE", "Asia/Shanghai"))
	if err != nil {
		bad("BOT_TIMEZONE must be an IANA time zone such as Asia/Shanghai, got %q", get("BOT_TIMEZONE", ""))
	}
	c.Location = loc
	ret, err := parseTTL(get("CASE_RETENTION", "3y"))
	if err != nil {
		bad("CASE_RETENTION must be a positive duration such as 3y, 1000d or 36h, got %q", get("CASE_RETENTION", ""))
	}
	c.Retention = ret
	problems = append(problems, parseKeys(&c, get)...)
	parseFollowup(&c, get, bad)
	return c, problems
}

// makeKey is the line that tells how to make a data key.
const makeKey = "make one with: openssl rand -base64 32"

// parseKeys reads DATA_KEY and DATA_KEY_PREVIOUS (comma-separated for several). DATA_KEY
// is required everywhere but in the console demo (no token, no REDIS_URL). Problems never
// repeat a key.
func parseKeys(c *config, get func(name, def string) string) []string {
	var problems []string
	if v := get("DATA_KEY", ""); v != "" {
		k, err := store.ParseKey(v)
		if err != nil {
			problems = append(problems, fmt.Sprintf("DATA_KEY must be 32 random bytes in base64, but %v; %s", err, makeKey))
		}
		c.DataKey = k
	} else if c.Token != "" || c.RedisURL != "" {
		problems = append(problems, "DATA_KEY is required on Telegram and with REDIS_URL (it encrypts the stored personal data): "+
			makeKey+", and keep it safe: without it the data cannot be read")
	}
	if v := get("DATA_KEY_PREVIOUS", ""); v != "" {
		for i, f := range strings.Split(v, ",") {
			k, err := store.ParseKey(f)
			if err != nil {
				problems = append(problems, fmt.Sprintf("DATA_KEY_PREVIOUS key %d must be 32 bytes in base64, but %v", i+1, err))
				continue
			}
			c.PreviousKeys = append(c.PreviousKeys, k)
		}
		if get("DATA_KEY", "") == "" {
			problems = append(problems, "DATA_KEY_PREVIOUS is set without DATA_KEY: set the new key as DATA_KEY and the old one as DATA_KEY_PREVIOUS")
		}
	}
	return problems
}

// keyring is the configured keys, nil without DATA_KEY.
func (c config) keyring() (*store.Keyring, error) {
	if c.DataKey == nil {
		return nil, nil
	}
	return store.NewKeyring(c.DataKey, c.PreviousKeys...)
}

// parseTTL accepts a Go duration (36h, 90m), whole days (7d) or whole years of 365 days
// (3y).
func parseTTL(s string) (time.Duration, error) {
	for unit, size := range map[string]time.Duration{"d": 24 * time.Hour, "y": 365 * 24 * time.Hour} {
		if d, ok := strings.CutSuffix(s, unit); ok {
			n, err := strconv.Atoi(d)
			if err != nil || n <= 0 || n > 1000*365 {
				return 0, fmt.Errorf("bad duration %q", s)
			}
			return time.Duration(n) * size, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return d, nil
}
