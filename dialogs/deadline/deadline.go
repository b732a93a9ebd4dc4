// Package deadline computes the six-month time limits around a supervision application to
// the procuratorate: pure calculation on dates, no I/O, "today" given by the caller.
//
// A period counts from the day after its starting day, so six months from 1 April end on
// 1 October; a month without that day ends on its last day (31 August + 6 months = the
// end of February). A last day on a rest day or public holiday moves to the next working
// day (Civil Procedure Law Art. 85(2), applied through Administrative Litigation Law
// Art. 101), using the State Council's published schedules with their make-up working
// days. For a year outside those schedules the date is given without the roll-over and
// Result.HolidaysKnown is false.
package deadline

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Route names what the six months run from. The first five are the routes of the
// "petitionbot deadline" command; the others serve the chat's screening.
type Route string

// The routes.
const (
	// RetrialRejected: from the service of the ruling rejecting the retrial application.
	RetrialRejected Route = "retrial-rejected"
	// RetrialNoRuling: from the court's registration of the retrial application. The
	// court has six months to rule (SPC Interpretation Art. 112, assumed not extended);
	// supervision is open only after they end, and then six months run.
	RetrialNoRuling Route = "retrial-no-ruling"
	// RetrialJudgment: from the retrial judgment or ruling taking effect.
	RetrialJudgment Route = "retrial-judgment"
	// Personnel: from the day the party knew or should have known of the trial
	// personnel's illegal conduct.
	Personnel Route = "personnel"
	// Enforcement: from the day the party knew or should have known of the illegal
	// enforcement.
	Enforcement Route = "enforcement"
	// Discovered: from the day the party knew or should have known of new evidence,
	// forged key evidence, a revoked underlying decision or judicial corruption.
	Discovered Route = "discovered"
	// RetrialWindow: the retrial application to the court, six months from the judgment
	// taking effect (SPC Interpretation Art. 110).
	RetrialWindow Route = "retrial-window"
)

// CommandRoutes are the routes the "petitionbot deadline" command accepts, in the order
// its usage line lists them.
var CommandRoutes = []Route{RetrialRejected, RetrialNoRuling, RetrialJudgment, Personnel, Enforcement}

// Statuses of a Result.
const (
	StatusOpen     = "open"      // today is on or before the last day
	StatusPassed   = "passed"    // the last day is before today
	StatusTooEarly = "too_early" // the court is still within its time to rule
)

// Result is a computed time limit. Dates are midnight UTC of the calendar day.
type Result struct {
	Route Route
	From  time.Time // the date given
	// CourtEnd is the court's last day to rule on the retrial application
	// (RetrialNoRuling only); the application is accepted from the day after.
	CourtEnd time.Time
	// End is the last day of the six months by the calendar, before any roll-over.
	End time.Time
	// Deadline is the last day to apply: End, or the next working day when End is a rest
	// day or public holiday.
	Deadline   time.Time
	RolledOver bool // Deadline is later than End
	// HolidaysKnown is false when a year the roll-over needed is outside the holiday
	// data: Deadline is then End, not rolled over.
	HolidaysKnown bool
	Status        string // StatusOpen, StatusPassed or StatusTooEarly
	DaysLeft      int    // calendar days from today to Deadline; negative once passed
	// Basis is the locale key of the legal basis ("deadline.basis.<route>").
	Basis string
	// Estimate is true when the rules we could confirm do not settle where the six
	// months start for this route (the 2016 rules said so; the 2021 text was not seen).
	Estimate bool
}

// Errors of Compute.
var (
	ErrRoute  = errors.New("unknown route")
	ErrFuture = errors.New("the start date is after today")
)

// Compute returns the time limit of route counted from from, as it stands on today. Only
// the calendar dates of from and today matter. It returns ErrRoute for an unknown route
// and ErrFuture when from is after today.
func Compute(route Route, from, today time.Time) (Result, error) {
	from, today = dateOf(from), dateOf(today)
	if !known(route) {
		return Result{}, fmt.Errorf("%w %q", ErrRoute, route)
	}
	if from.After(today) {
		return Result{}, ErrFuture
	}
	r := Result{
		Route:    route,
		From:     from,
		Basis:    "deadline.basis." + strings.ReplaceAll(string(route), "-", "_"),
		Estimate: route != RetrialRejected && route != RetrialWindow,
	}
	start := from
	if route == RetrialNoRuling {
		r.CourtEnd = parse.AddMonths(from, 6)
		start = r.CourtEnd
	}
	r.End = parse.AddMonths(start, 6)
	r.Deadline, r.RolledOver, r.HolidaysKnown = rollOver(r.End)
	r.DaysLeft = parse.DaysBetween(today, r.Deadline)
	switch {
	case route == RetrialNoRuling && !today.After(r.CourtEnd):
		r.Status = StatusTooEarly
	case r.DaysLeft < 0:
		r.Status = StatusPassed
	default:
		r.Status = StatusOpen
	}
	return r, nil
}

// ServedByNotice returns the day service by public notice (公告送达) counts as done: 30
// days after the notice was issued (Civil Procedure Law Art. 95).
func ServedByNotice(notice time.Time) time.Time { return dateOf(notice).AddDate(0, 0, 30) }

// ParseRoute returns the route named s, or ErrRoute.
func ParseRoute(s string) (Route, error) {
	r := Route(s)
	if !known(r) {
		return "", fmt.Errorf("%w %q", ErrRoute, s)
	}
	return r, nil
}

func known(r Route) bool {
	switch r {
	case RetrialRejected, RetrialNoRuling, RetrialJudgment, Personnel, Enforcement, Discovered, RetrialWindow:
		return true
	}
	return false
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
