package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/petitionbot/petitionbot/dialogs"
)

var clockRE = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// parseFollowup reads the settings of check-ins and the other timed messages.
func parseFollowup(c *config, get func(name, def string) string, bad func(format string, a ...any)) {
	for _, f := range strings.Split(get("FOLLOWUP_OFFSETS", "7d,30d,90d"), ",") {
		d, err := parseTTL(strings.TrimSpace(f))
		if err != nil {
			bad("FOLLOWUP_OFFSETS must be comma-separated Go durations or days, such as 7d,30d,90d or 5s, got %q", strings.TrimSpace(f))
			continue
		}
		c.FollowupOffsets = append(c.FollowupOffsets, d)
	}
	h, err := parseHours(get("FOLLOWUP_HOURS", "09:00-20:00"))
	if err != nil {
		bad("FOLLOWUP_HOURS must be local hours HH:MM-HH:MM such as 09:00-20:00 (00:00-24:00 for any time), got %q", get("FOLLOWUP_HOURS", ""))
	}
	c.FollowupHours = h
	if c.FollowupReminder, err = parseTTL(get("FOLLOWUP_REMINDER", "3d")); err != nil {
		bad("FOLLOWUP_REMINDER must be a positive duration such as 3d or 36h, got %q", get("FOLLOWUP_REMINDER", ""))
	}
	c.FollowupRate = 25
	if v := get("FOLLOWUP_RATE", ""); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1000 {
			bad("FOLLOWUP_RATE must be a positive number of messages per second (at most 1000), got %q", v)
		}
		c.FollowupRate = f
	}
	switch v := get("STAFF_DIGEST_AT", "09:00"); {
	case v == "off":
	case clockRE.MatchString(v):
		c.DigestAt = v
	default:
		bad("STAFF_DIGEST_AT must be a local time HH:MM such as 09:00, or empty for no digest, got %q", v)
	}
	c.ReviewWarnDays = 10
	if v := get("REVIEW_WARNING_DAYS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 90 {
			bad("REVIEW_WARNING_DAYS must be a whole number of days from 1 to 90, got %q", v)
		}
		c.ReviewWarnDays = n
	}
	switch v := get("TELEGRAM_POLL", "on"); v {
	case "on":
		c.Poll = true
	case "off":
	default:
		bad("TELEGRAM_POLL must be on or off, got %q", v)
	}
}

// parseHours reads "HH:MM-HH:MM"; the end may be 24:00, and before the start for hours
// over midnight.
func parseHours(s string) (dialogs.Hours, error) {
	from, to, ok := strings.Cut(s, "-")
	a, okA := clockMinutes(strings.TrimSpace(from))
	b, okB := clockMinutes(strings.TrimSpace(to))
	if !ok || !okA || !okB || a == 24*60 || a == b && a != 0 {
		return dialogs.Hours{}, fmt.Errorf("bad hours %q", s)
	}
	if a == 0 && b == 0 {
		b = 24 * 60
	}
	return dialogs.Hours{From: a, To: b}, nil
}

func clockMinutes(s string) (int, bool) {
	if s == "24:00" {
		return 24 * 60, true
	}
	if !clockRE.MatchString(s) {
		return 0, false
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*60 + m, true
}
