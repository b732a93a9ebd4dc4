package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

func TestFollowupConfig(t *testing.T) {
	c, problems := parseConfig(func(string) string { return "" })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	want := []time.Duration{7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}
	if !cmp.Equal(c.FollowupOffsets, want) || c.FollowupHours != (dialogs.Hours{From: 540, To: 1200}) ||
		c.FollowupReminder != 72*time.Hour || c.FollowupRate != 25 || c.DigestAt != "09:00" || c.ReviewWarnDays != 10 || !c.Poll {
		t.Fatalf("defaults: %+v", c)
	}
	env := map[string]string{"FOLLOWUP_OFFSETS": "5s, 2d", "FOLLOWUP_HOURS": "00:00-24:00", "STAFF_DIGEST_AT": "off", "TELEGRAM_POLL": "off"}
	c, problems = parseConfig(func(k string) string { return env[k] })
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if !cmp.Equal(c.FollowupOffsets, []time.Duration{5 * time.Second, 48 * time.Hour}) || !c.FollowupHours.Always() || c.DigestAt != "" || c.Poll {
		t.Fatalf("parsed: %+v", c)
	}
}

func TestFollowupConfigProblems(t *testing.T) {
	for _, tt := range []struct{ name, key, value, want string }{
		{"offset", "FOLLOWUP_OFFSETS", "7d,soon", "FOLLOWUP_OFFSETS must be"},
		{"hours", "FOLLOWUP_HOURS", "9-20", "FOLLOWUP_HOURS must be"},
		{"empty window", "FOLLOWUP_HOURS", "10:00-10:00", "FOLLOWUP_HOURS must be"},
		{"reminder", "FOLLOWUP_REMINDER", "0d", "FOLLOWUP_REMINDER must be"},
		{"rate", "FOLLOWUP_RATE", "0", "FOLLOWUP_RATE must be"},
		{"digest", "STAFF_DIGEST_AT", "9am", "STAFF_DIGEST_AT must be"},
		{"review", "REVIEW_WARNING_DAYS", "-3", "REVIEW_WARNING_DAYS must be"},
		{"poll", "TELEGRAM_POLL", "maybe", "TELEGRAM_POLL must be"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := parseConfig(func(k string) string {
				if k == tt.key {
					return tt.value
				}
				return ""
			})
			if len(problems) != 1 || !strings.Contains(problems[0], tt.want) {
				t.Fatalf("problems %q, want one containing %q", problems, tt.want)
			}
		})
	}
}

func TestParseHours(t *testing.T) {
	for in, want := range map[string]dialogs.Hours{
		"09:00-20:00": {From: 540, To: 1200}, "00:00-24:00": {From: 0, To: 1440}, "00:00-00:00": {From: 0, To: 1440},
		"22:00-06:00": {From: 1320, To: 360}, " 08:30 - 17:45 ": {From: 510, To: 1065},
	} {
		if got, err := parseHours(in); err != nil || got != want {
			t.Errorf("%q: %+v %v, want %+v", in, got, err, want)
		}
	}
}

// FuzzParseHours: any input is either refused or a window inside one day.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"09:00-20:00", "00:00-24:00", "22:00-06:00", "24:00-24:00", "9:00-20:00", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHours(s)
		if err != nil {
			return
		}
		if h.From < 0 || h.From >= 1440 || h.To < 0 || h.To > 1440 || h.From == h.To && h.From != 0 {
			t.Fatalf("%q gave %+v", s, h)
		}
	})
}
