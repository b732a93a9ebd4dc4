package deadline_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs/deadline"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// want is the part of a Result a case checks, dates as YYYY-MM-DD.
type want struct {
	End, Deadline, CourtEnd string
	RolledOver              bool
	HolidaysKnown           bool
	Status                  string
	DaysLeft                int
	Estimate                bool
	Basis                   string
}

func summary(r deadline.Result) want {
	f := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return want{End: f(r.End), Deadline: f(r.Deadline), CourtEnd: f(r.CourtEnd), RolledOver: r.RolledOver,
		HolidaysKnown: r.HolidaysKnown, Status: r.Status, DaysLeft: r.DaysLeft, Estimate: r.Estimate, Basis: r.Basis}
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name        string
		route       deadline.Route
		from, today string
		want        want
	}{
		{"served 1 April: six months end on National Day, the last day is 8 October",
			deadline.RetrialRejected, "2026-04-01", "2026-06-01",
			want{End: "2026-10-01", Deadline: "2026-10-08", RolledOver: true, HolidaysKnown: true, Status: "open", DaysLeft: 129, Basis: "deadline.basis.retrial_rejected"}},
		{"on the rolled-over last day it is still open",
			deadline.RetrialRejected, "2026-04-01", "2026-10-08",
			want{End: "2026-10-01", Deadline: "2026-10-08", RolledOver: true, HolidaysKnown: true, Status: "open", DaysLeft: 0, Basis: "deadline.basis.retrial_rejected"}},
		{"the day after the rolled-over last day it has passed",
			deadline.RetrialRejected, "2026-04-01", "2026-10-09",
			want{End: "2026-10-01", Deadline: "2026-10-08", RolledOver: true, HolidaysKnown: true, Status: "passed", DaysLeft: -1, Basis: "deadline.basis.retrial_rejected"}},
		{"last day on a Saturday moves to Monday",
			deadline.Enforcement, "2026-05-28", "2026-11-27",
			want{End: "2026-11-28", Deadline: "2026-11-30", RolledOver: true, HolidaysKnown: true, Status: "open", DaysLeft: 3, Estimate: true, Basis: "deadline.basis.enforcement"}},
		{"last day in the Spring Festival holiday moves past it",
			deadline.Personnel, "2025-08-17", "2026-01-05",
			want{End: "2026-02-17", Deadline: "2026-02-24", RolledOver: true, HolidaysKnown: true, Status: "open", DaysLeft: 50, Estimate: true, Basis: "deadline.basis.personnel"}},
		{"last day on a Sunday that is a make-up working day stays",
			deadline.RetrialRejected, "2026-03-20", "2026-09-01",
			want{End: "2026-09-20", Deadline: "2026-09-20", HolidaysKnown: true, Status: "open", DaysLeft: 19, Basis: "deadline.basis.retrial_rejected"}},
		{"last day on a Saturday that is a make-up working day stays",
			deadline.RetrialRejected, "2026-04-10", "2026-09-01",
			want{End: "2026-10-10", Deadline: "2026-10-10", HolidaysKnown: true, Status: "open", DaysLeft: 39, Basis: "deadline.basis.retrial_rejected"}},
		{"31 August + 6 months is the end of February, here a Sunday",
			deadline.RetrialRejected, "2026-08-31", "2027-02-20",
			want{End: "2027-02-28", Deadline: "2027-03-01", RolledOver: true, HolidaysKnown: true, Status: "open", DaysLeft: 9, Basis: "deadline.basis.retrial_rejected"}},
		{"leap year: 31 August 2023 + 6 months is 29 February 2024, a Thursday",
			deadline.RetrialRejected, "2023-08-31", "2024-02-29",
			want{End: "2024-02-29", Deadline: "2024-02-29", HolidaysKnown: true, Status: "open", DaysLeft: 0, Basis: "deadline.basis.retrial_rejected"}},
		{"not a leap year: 31 August 2022 + 6 months is 28 February 2023",
			deadline.RetrialRejected, "2022-08-31", "2023-03-01",
			want{End: "2023-02-28", Deadline: "2023-02-28", HolidaysKnown: true, Status: "passed", DaysLeft: -1, Basis: "deadline.basis.retrial_rejected"}},
		{"a year outside the holiday data: a Sunday is not rolled over, and it says so",
			deadline.RetrialRejected, "2030-12-15", "2031-01-10",
			want{End: "2031-06-15", Deadline: "2031-06-15", Status: "open", DaysLeft: 156, Basis: "deadline.basis.retrial_rejected"}},
		{"court did not rule: registered 1 June, on 1 December the court still has its last day",
			deadline.RetrialNoRuling, "2026-06-01", "2026-12-01",
			want{CourtEnd: "2026-12-01", End: "2027-06-01", Deadline: "2027-06-01", HolidaysKnown: true, Status: "too_early", DaysLeft: 182, Estimate: true, Basis: "deadline.basis.retrial_no_ruling"}},
		{"court did not rule: open from the day after the court's last day",
			deadline.RetrialNoRuling, "2026-06-01", "2026-12-02",
			want{CourtEnd: "2026-12-01", End: "2027-06-01", Deadline: "2027-06-01", HolidaysKnown: true, Status: "open", DaysLeft: 181, Estimate: true, Basis: "deadline.basis.retrial_no_ruling"}},
		{"court did not rule: filed 1 November 2025, passed a year later",
			deadline.RetrialNoRuling, "2025-11-01", "2026-11-27",
			want{CourtEnd: "2026-05-01", End: "2026-11-01", Deadline: "2026-11-02", RolledOver: true, HolidaysKnown: true, Status: "passed", DaysLeft: -25, Estimate: true, Basis: "deadline.basis.retrial_no_ruling"}},
		{"retrial judgment took effect 31 January 2025",
			deadline.RetrialJudgment, "2025-01-31", "2026-11-27",
			want{End: "2025-07-31", Deadline: "2025-07-31", HolidaysKnown: true, Status: "passed", DaysLeft: -484, Estimate: true, Basis: "deadline.basis.retrial_judgment"}},
		{"personnel: six months from knowing, a Tuesday",
			deadline.Personnel, "2026-06-15", "2026-11-27",
			want{End: "2026-12-15", Deadline: "2026-12-15", HolidaysKnown: true, Status: "open", DaysLeft: 18, Estimate: true, Basis: "deadline.basis.personnel"}},
		{"later-discovered grounds run from knowledge, an estimate",
			deadline.Discovered, "2026-10-09", "2026-11-27",
			want{End: "2027-04-09", Deadline: "2027-04-09", HolidaysKnown: true, Status: "open", DaysLeft: 133, Estimate: true, Basis: "deadline.basis.discovered"}},
		{"the court's retrial window closed",
			deadline.RetrialWindow, "2025-10-09", "2026-11-27",
			want{End: "2026-04-09", Deadline: "2026-04-09", HolidaysKnown: true, Status: "passed", DaysLeft: -232, Basis: "deadline.basis.retrial_window"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := deadline.Compute(tt.route, day(tt.from), day(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got.Route != tt.route || !got.From.Equal(day(tt.from)) {
				t.Errorf("route %q from %v", got.Route, got.From)
			}
		})
	}
}

// TestComputeIgnoresTimeOfDay: a "today" late in the evening in another zone counts as
// its own calendar date.
func TestComputeIgnoresTimeOfDay(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 6, 1, 23, 30, 0, 0, shanghai)
	got, err := deadline.Compute(deadline.RetrialRejected, time.Date(2026, 4, 1, 8, 0, 0, 0, shanghai), today)
	if err != nil {
		t.Fatal(err)
	}
	if got.DaysLeft != 129 || got.Deadline.Format(time.DateOnly) != "2026-10-08" {
		t.Errorf("got %v, %d days", got.Deadline, got.DaysLeft)
	}
}

func TestComputeErrors(t *testing.T) {
	if _, err := deadline.Compute("appeal", day("2026-01-01"), day("2026-02-01")); !errors.Is(err, deadline.ErrRoute) {
		t.Errorf("unknown route: %v", err)
	}
	if _, err := deadline.Compute(deadline.Personnel, day("2026-03-01"), day("2026-02-01")); !errors.Is(err, deadline.ErrFuture) {
		t.Errorf("from after today: %v", err)
	}
	if _, err := deadline.ParseRoute("retrial-rejected"); err != nil {
		t.Errorf("ParseRoute: %v", err)
	}
	if _, err := deadline.ParseRoute("Retrial-Rejected"); !errors.Is(err, deadline.ErrRoute) {
		t.Errorf("route names are exact: %v", err)
	}
}

func TestServedByNotice(t *testing.T) {
	for _, tt := range []struct{ notice, served string }{
		{"2026-03-02", "2026-04-01"},
		{"2026-01-31", "2026-03-02"},
		{"2024-02-01", "2024-03-02"}, // 29 days of February in a leap year
	} {
		if got := deadline.ServedByNotice(day(tt.notice)).Format(time.DateOnly); got != tt.served {
			t.Errorf("notice %s: served %s, want %s", tt.notice, got, tt.served)
		}
	}
}

// FuzzCompute: for any start and today, the deadline is never before the calendar end,
// at most ten days after it, and the status agrees with the days left.
func FuzzCompute(f *testing.F) {
	f.Add(int64(0), uint16(200), uint8(0))
	f.Add(int64(9000), uint16(10), uint8(1))
	f.Fuzz(func(t *testing.T, fromDays int64, ahead uint16, which uint8) {
		routes := append(deadline.CommandRoutes, deadline.Discovered, deadline.RetrialWindow)
		from := day("2000-01-01").AddDate(0, 0, int(fromDays%20000))
		today := from.AddDate(0, 0, int(ahead))
		r, err := deadline.Compute(routes[int(which)%len(routes)], from, today)
		if err != nil {
			t.Fatal(err)
		}
		if r.Deadline.Before(r.End) || r.Deadline.Sub(r.End) > 10*24*time.Hour {
			t.Fatalf("end %v deadline %v", r.End, r.Deadline)
		}
		if r.RolledOver != r.Deadline.After(r.End) || (!r.HolidaysKnown && r.RolledOver) {
			t.Fatalf("rolled %v known %v", r.RolledOver, r.HolidaysKnown)
		}
		if (r.Status == deadline.StatusPassed) != (r.DaysLeft < 0) && r.Status != deadline.StatusTooEarly {
			t.Fatalf("status %s with %d days left", r.Status, r.DaysLeft)
		}
	})
}

// BenchmarkCompute: the National Day case, which looks at eight days of holiday data.
func BenchmarkCompute(b *testing.B) {
	from, today := day("2026-04-01"), day("2026-06-01")
	for b.Loop() {
		if _, err := deadline.Compute(deadline.RetrialRejected, from, today); err != nil {
			b.Fatal(err)
		}
	}
}
