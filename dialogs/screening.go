package dialogs

import (
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Screening results.
const (
	ScreenOpen    = "open"    // within the six months
	ScreenClose   = "close"   // within the six months, 30 days or fewer left
	ScreenPassed  = "passed"  // the six months have passed
	ScreenNotNow  = "not_now" // not acceptable now (or again): see Reason
	ScreenUnknown = "unknown" // not enough answers to say
)

// closeDays is how near the deadline the bot starts urging the petitioner not to wait.
const closeDays = 30

// Screening is the advisory eligibility check recorded with a case. Staff decide; the
// petitioner may submit whatever it says.
type Screening struct {
	Result   string `json:"result"`
	Reason   string `json:"reason,omitempty"`   // the retrial status behind ScreenNotNow
	Deadline string `json:"deadline,omitempty"` // YYYY-MM-DD, last day of the six months
	Estimate bool   `json:"estimate,omitempty"` // the start of the six months is not certain
	DaysLeft int    `json:"days_left"`
}

// screen computes the screening from the draft's answers on the given day.
//
// The six months run from: the service of the ruling rejecting retrial (certain, the 2021
// rules); otherwise, as an estimate, from the end of the court's six-month review period
// (retrial not ruled on in time), from the retrial judgment taking effect, or from the day
// the petitioner learnt of the trial staff's or enforcement's conduct.
func screen(d *Draft, today time.Time) Screening {
	if notNow(d) {
		return Screening{Result: ScreenNotNow, Reason: d.get("retrial")}
	}
	kd := d.get("key_date")
	if kd == "" {
		return Screening{Result: ScreenUnknown}
	}
	start, err := time.Parse(time.DateOnly, kd)
	if err != nil {
		return Screening{Result: ScreenUnknown}
	}
	s := Screening{Estimate: true}
	switch {
	case d.get("target") == "judgment" && d.get("retrial") == "rejected":
		s.Estimate = false
	case d.get("target") == "judgment" && d.get("retrial") == "overdue":
		// The key date is the filing of the retrial application: the court has six months
		// (extendable) to rule, and until they end the application is premature.
		start = parse.AddMonths(start, 6)
		if start.After(today) {
			return Screening{Result: ScreenNotNow, Reason: "reviewing"}
		}
	}
	deadline := parse.AddMonths(start, 6)
	s.Deadline = parse.FormatDate(deadline)
	s.DaysLeft = parse.DaysBetween(today, deadline)
	switch {
	case s.DaysLeft < 0:
		s.Result = ScreenPassed
	case s.DaysLeft <= closeDays:
		s.Result = ScreenClose
	default:
		s.Result = ScreenOpen
	}
	return s
}

// keyDatePrompt is the question asked for the date the six months run from.
func keyDatePrompt(d *Draft) string {
	switch {
	case d.get("target") == "personnel" || d.get("target") == "enforcement":
		return "ask.key_date.knew"
	case d.get("retrial") == "rejected":
		return "ask.key_date.served"
	case d.get("retrial") == "overdue":
		return "ask.key_date.filed"
	default:
		return "ask.key_date.effective"
	}
}

// screeningTexts explains a screening result: the deadline and the legal basis, or why
// the application is not acceptable now and what to do instead.
func screeningTexts(s Screening) []Text {
	switch s.Result {
	case ScreenNotNow:
		return []Text{T("screen.not_now." + s.Reason)}
	case ScreenUnknown:
		return nil
	}
	var out []Text
	if s.Estimate {
		out = append(out, T("screen.deadline_estimate", "Date", s.Deadline))
	} else {
		out = append(out, T("screen.deadline", "Date", s.Deadline))
	}
	switch {
	case s.Result == ScreenPassed && s.Estimate:
		out = append(out, T("screen.passed_estimate"))
	case s.Result == ScreenPassed:
		out = append(out, T("screen.passed"))
	case s.Result == ScreenClose:
		out = append(out, T("screen.days_left").N(s.DaysLeft), T("screen.hurry"))
	default:
		out = append(out, T("screen.days_left").N(s.DaysLeft))
	}
	return out
}
