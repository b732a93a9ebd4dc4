package dialogs_test

import (
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// TestHoursNext: a time inside the window stays; one outside waits for the next opening,
// across midnight when need be.
func TestHoursNext(t *testing.T) {
	at := func(d, hm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	day := dialogs.Hours{From: 9 * 60, To: 20 * 60}
	night := dialogs.Hours{From: 22 * 60, To: 6 * 60}
	always := dialogs.Hours{From: 0, To: 24 * 60}
	for _, tc := range []struct {
		name  string
		h     dialogs.Hours
		t     time.Time
		want  time.Time
		ahead bool
	}{
		{"inside", day, at("2026-12-04", "12:00"), at("2026-12-04", "12:00"), false},
		{"opening", day, at("2026-12-04", "09:00"), at("2026-12-04", "09:00"), false},
		{"before opening", day, at("2026-12-04", "08:59"), at("2026-12-04", "09:00"), true},
		{"at closing", day, at("2026-12-04", "20:00"), at("2026-12-05", "09:00"), true},
		{"at night", day, at("2026-12-04", "23:30"), at("2026-12-05", "09:00"), true},
		{"year end", day, at("2026-12-31", "22:00"), at("2027-01-01", "09:00"), true},
		{"zero value is 09-20", dialogs.Hours{}, at("2026-12-04", "06:00"), at("2026-12-04", "09:00"), true},
		{"over midnight, inside", night, at("2026-12-04", "23:00"), at("2026-12-04", "23:00"), false},
		{"over midnight, early", night, at("2026-12-04", "05:59"), at("2026-12-04", "05:59"), false},
		{"over midnight, day", night, at("2026-12-04", "12:00"), at("2026-12-04", "22:00"), true},
		{"always", always, at("2026-12-04", "03:00"), at("2026-12-04", "03:00"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.h.Next(tc.t, shanghai)
			if !got.Equal(tc.want) {
				t.Fatalf("Next(%s) = %s, want %s", tc.t, got.In(shanghai), tc.want)
			}
			if tc.h.Contains(tc.t, shanghai) == tc.ahead {
				t.Fatalf("Contains(%s) = %v", tc.t, !tc.ahead)
			}
		})
	}
}
