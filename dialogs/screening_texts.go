package dialogs

import (
	"github.com/petitionbot/petitionbot/dialogs/deadline"
	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// deadlineLines states the last day and what moved it: shared by the chat and the
// "petitionbot deadline" command.
func deadlineLines(date, end string, estimate, rolled, noHolidays bool) []Text {
	key := "screen.deadline"
	if estimate {
		key = "screen.deadline_estimate"
	}
	out := []Text{T(key, "Date", date)}
	if rolled {
		out = append(out, T("screen.rolled", "End", end, "Date", date))
	}
	if noHolidays && len(date) >= 4 {
		out = append(out, T("screen.no_holidays", "Year", date[:4]))
	}
	return out
}

// DeadlineTexts explains a computed time limit as the "petitionbot deadline" command
// prints it: too early (when it is), the last day and any roll-over, the days left or
// "passed", and the legal basis.
func DeadlineTexts(r deadline.Result) []Text {
	var out []Text
	if r.Status == deadline.StatusTooEarly {
		out = append(out, T("screen.too_early", "Opens", parse.FormatDate(r.CourtEnd.AddDate(0, 0, 1))))
	}
	out = append(out, deadlineLines(parse.FormatDate(r.Deadline), parse.FormatDate(r.End), r.Estimate, r.RolledOver, !r.HolidaysKnown)...)
	if r.Status == deadline.StatusPassed {
		out = append(out, T("deadline.passed"))
	} else {
		out = append(out, T("screen.days_left").N(r.DaysLeft))
	}
	return append(out, T(r.Basis))
}

// DeadlineBasis is the legal basis of a computed time limit, followed by the note that
// the date is not rolled over when the year is outside the holiday data.
func DeadlineBasis(r deadline.Result) []Text {
	out := []Text{T(r.Basis)}
	if !r.HolidaysKnown {
		out = append(out, T("screen.no_holidays", "Year", r.Deadline.Format("2006")))
	}
	return out
}

// screeningTexts explains a screening result: the deadline and how it was counted, or
// why the application is not acceptable now and what to do instead. Where the deadline
// is close, uncertain or may have passed, it adds the advice to also file through an
// official channel.
func screeningTexts(s Screening) []Text {
	switch s.Result {
	case ScreenLead:
		return []Text{T("screen.lead." + s.Reason)}
	case ScreenUnknown:
		return nil
	case ScreenNotNow:
		switch {
		case s.Reason == "reviewing" && s.Opens != "":
			out := []Text{T("screen.too_early", "Opens", s.Opens)}
			out = append(out, deadlineLines(s.Deadline, s.End, s.Estimate, s.RolledOver, s.NoHolidays)...)
			return append(out, caveatTexts(s)...)
		case s.Reason == "none" && s.Deadline != "":
			out := []Text{T("screen.not_now.none")}
			if s.DaysLeft < 0 {
				out = append(out, T("screen.window_closed", "Date", s.Deadline))
			} else {
				out = append(out, T("screen.window_open", "Date", s.Deadline), T("screen.days_left").N(s.DaysLeft))
			}
			if s.RolledOver {
				out = append(out, T("screen.rolled", "End", s.End, "Date", s.Deadline))
			}
			if s.NoHolidays {
				out = append(out, T("screen.no_holidays", "Year", s.Deadline[:4]))
			}
			return out
		}
		return []Text{T("screen.not_now." + s.Reason)}
	}
	out := deadlineLines(s.Deadline, s.End, s.Estimate, s.RolledOver, s.NoHolidays)
	out = append(out, caveatTexts(s)...)
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
	if s.Result == ScreenPassed || s.Result == ScreenClose || s.Estimate {
		out = append(out, T("filing.position"))
	}
	return out
}

func caveatTexts(s Screening) []Text {
	var out []Text
	for _, c := range s.Caveats {
		out = append(out, T("screen.caveat."+c))
	}
	return out
}
