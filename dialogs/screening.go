package dialogs

import (
	"time"

	"github.com/petitionbot/petitionbot/dialogs/deadline"
	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Screening results.
const (
	ScreenOpen    = "open"    // within the six months
	ScreenClose   = "close"   // within the six months, 30 days or fewer left
	ScreenPassed  = "passed"  // the six months have passed
	ScreenNotNow  = "not_now" // not acceptable now (or again): see Reason
	ScreenUnknown = "unknown" // not enough answers to say
	ScreenLead    = "lead"    // sent as a lead, not a supervision application: Reason is the intake
)

// closeDays is how near the deadline the bot starts urging the petitioner not to wait.
const closeDays = 30

// Screening is the advisory eligibility check recorded with a case. Staff decide; the
// petitioner may submit whatever it says.
type Screening struct {
	Result string `json:"result"`
	// Reason is why ScreenNotNow: a retrial status (reviewing, retrying, decided, none)
	// or late, protest, extended, enf_pending, enf_none; for ScreenLead the intake.
	Reason   string `json:"reason,omitempty"`
	Deadline string `json:"deadline,omitempty"` // YYYY-MM-DD, last day (after any roll-over)
	Estimate bool   `json:"estimate,omitempty"` // the start of the six months is not certain
	DaysLeft int    `json:"days_left"`

	Route      string `json:"route,omitempty"`       // the deadline.Route computed
	End        string `json:"end,omitempty"`         // the six months' calendar end, before any roll-over
	RolledOver bool   `json:"rolled_over,omitempty"` // Deadline moved past rest days or holidays
	// NoHolidays: the year is outside the holiday data, so Deadline is not rolled over.
	NoHolidays bool `json:"holidays_unknown,omitempty"`
	// Opens is the first day an application is accepted when the court is still within
	// its time to rule (Reason "reviewing").
	Opens string `json:"opens,omitempty"`
	// Caveats are "not sure" answers: service_unsure and extension_unsure make the date
	// an estimate; late_unsure, origin_unsure and enf_unsure may make the application not
	// acceptable.
	Caveats []string `json:"caveats,omitempty"`
}

// notNowReason says why the answers make an application not acceptable now, or "".
func notNowReason(d *Draft) string {
	switch d.get("target") {
	case "judgment":
		switch r := d.get("retrial"); {
		case r == "reviewing" || r == "retrying" || r == "decided" || r == "none":
			return r
		case r == "rejected" && d.get("retrial_late") == "yes":
			return "late"
		case r == "retrial_wrong" && d.get("retrial_origin") == "yes":
			return "protest"
		case r == "overdue" && d.get("extension") == "yes":
			return "extended"
		}
	case "enforcement":
		switch d.get("enf_remedy") {
		case "pending":
			return "enf_pending"
		case "none":
			return "enf_none"
		}
	}
	return ""
}

// notNow reports whether the answers make an application not acceptable now.
func notNow(d *Draft) bool { return notNowReason(d) != "" }

// needsKeyDate reports whether the screening asks for a date: the start of the six
// months, or for a petitioner who never applied for retrial, the day the judgment took
// effect (to say whether the court's retrial window is still open).
func needsKeyDate(d *Draft) bool {
	switch d.get("target") {
	case "personnel":
		return true
	case "enforcement":
		return !notNow(d)
	case "judgment":
		r := notNowReason(d)
		return d.get("retrial") != "" && (r == "" || r == "none")
	}
	return false
}

// mayBeDiscovered reports whether to ask about later-discovered grounds: a judgment route
// whose six months, counted the usual way, have passed.
func mayBeDiscovered(d *Draft) bool {
	if d.get("target") != "judgment" || notNow(d) || d.get("key_passed") != "yes" {
		return false
	}
	switch d.get("retrial") {
	case "rejected", "overdue", "retrial_wrong":
		return true
	}
	return false
}

// routeOf is the deadline route the answers describe.
func routeOf(d *Draft) deadline.Route {
	switch d.get("target") {
	case "personnel":
		return deadline.Personnel
	case "enforcement":
		return deadline.Enforcement
	}
	switch d.get("retrial") {
	case "rejected":
		return deadline.RetrialRejected
	case "overdue":
		return deadline.RetrialNoRuling
	case "none":
		return deadline.RetrialWindow
	}
	return deadline.RetrialJudgment
}

func dateValue(d *Draft, id string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, d.get(id))
	return t, err == nil
}

// screen computes the screening from the draft's answers on the given day, with the
// deadline calculator the "petitionbot deadline" command uses.
func screen(d *Draft, today time.Time) Screening { return screenWith(d, today, true) }

// screenUsual is the screening counted the usual way, ignoring later-discovered grounds.
func screenUsual(d *Draft, today time.Time) Screening { return screenWith(d, today, false) }

func screenWith(d *Draft, today time.Time, discovered bool) Screening {
	if isLead(d) {
		return Screening{Result: ScreenLead, Reason: intakeOf(d)}
	}
	reason := notNowReason(d)
	if reason != "" && reason != "none" {
		return Screening{Result: ScreenNotNow, Reason: reason}
	}
	from, ok := dateValue(d, "key_date")
	if !ok {
		if reason != "" {
			return Screening{Result: ScreenNotNow, Reason: reason}
		}
		return Screening{Result: ScreenUnknown}
	}
	route := routeOf(d)
	var caveats []string // answers that make the date uncertain
	if route == deadline.RetrialRejected {
		switch d.get("service") {
		case "notice":
			from = deadline.ServedByNotice(from)
		case "unsure":
			caveats = append(caveats, "service_unsure")
		}
	}
	if route == deadline.RetrialNoRuling && d.get("extension") == "unsure" {
		caveats = append(caveats, "extension_unsure")
	}
	estimate := len(caveats) > 0
	// answers that may make the application not acceptable at all
	for _, u := range []struct{ field, caveat string }{
		{"retrial_late", "late_unsure"}, {"retrial_origin", "origin_unsure"}, {"enf_remedy", "enf_unsure"},
	} {
		if d.get(u.field) == "unsure" {
			caveats = append(caveats, u.caveat)
		}
	}
	if dd, ok := dateValue(d, "discovered_date"); ok && discovered && mayBeDiscovered(d) && d.get("discovered") == "yes" {
		route, from = deadline.Discovered, dd
	}
	// Service by notice completes 30 days after the notice, possibly after today: the six
	// months then run from a day still to come.
	res, err := deadline.Compute(route, from, maxDate(from, today))
	if err != nil {
		return Screening{Result: ScreenUnknown}
	}
	s := Screening{
		Route:      string(route),
		Deadline:   parse.FormatDate(res.Deadline),
		End:        parse.FormatDate(res.End),
		RolledOver: res.RolledOver,
		NoHolidays: !res.HolidaysKnown,
		Estimate:   res.Estimate || estimate,
		DaysLeft:   parse.DaysBetween(today, res.Deadline),
		Caveats:    caveats,
	}
	switch {
	case reason != "": // no retrial yet: the court's retrial window, for information
		s.Result, s.Reason = ScreenNotNow, reason
	case res.Status == deadline.StatusTooEarly:
		s.Result, s.Reason = ScreenNotNow, "reviewing"
		s.Opens = parse.FormatDate(res.CourtEnd.AddDate(0, 0, 1))
	case s.DaysLeft < 0:
		s.Result = ScreenPassed
	case s.DaysLeft <= closeDays:
		s.Result = ScreenClose
	default:
		s.Result = ScreenOpen
	}
	return s
}

func maxDate(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// keyDatePrompt is the question asked for the date the six months run from.
func keyDatePrompt(d *Draft) string {
	switch {
	case d.get("target") == "personnel" || d.get("target") == "enforcement":
		return "ask.key_date.knew"
	case d.get("retrial") == "rejected":
		if m := d.get("service"); m != "" {
			return "ask.key_date.served_" + m
		}
		return "ask.key_date.served_signed"
	case d.get("retrial") == "overdue":
		return "ask.key_date.filed"
	case d.get("retrial") == "none":
		return "ask.key_date.judgment_effective"
	default:
		return "ask.key_date.effective"
	}
}
