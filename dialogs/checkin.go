package dialogs

import (
	"strconv"
	"time"
)

// Follow-up check-ins (回访): after a case closes with an outcome that resolved the
// dispute, the petitioner is asked at FollowupConfig.Offsets whether what was agreed was
// carried out. This file holds the pure part: how a check-in step changes a case (Apply
// calls it for ActCheckin). checkin_flow.go sends and answers them.

// checkinIndex returns the index of check-in n, or -1.
func checkinIndex(c Case, n int) int {
	for i, ci := range c.Checkins {
		if ci.N == n {
			return i
		}
	}
	return -1
}

// checkinStepValid reports whether step may happen to the case's check-in now: it is sent
// once while pending, reminded once while awaiting an answer, and answered while awaiting
// one or after it was recorded as unanswered or unreachable (a late answer still counts).
func checkinStepValid(c Case, st CheckinStep) bool {
	i := checkinIndex(c, st.N)
	if i < 0 {
		return false
	}
	ci := c.Checkins[i]
	switch {
	case st.Sent:
		return ci.pending()
	case st.Reminded:
		return ci.awaiting() && ci.Reminded.IsZero()
	case st.Result == CheckinNoResponse:
		return ci.awaiting()
	case st.Result == CheckinUnreachable:
		return ci.awaiting()
	case st.Result.Answered():
		return !ci.Sent.IsZero() && (ci.Result == "" || ci.Result == CheckinNoResponse || ci.Result == CheckinUnreachable)
	}
	return false
}

// applyCheckin records a check-in step on c (a copy Apply owns). Opting out cancels every
// other check-in still to come.
func applyCheckin(c *Case, a Act) {
	st := *a.Checkin
	ci := &c.Checkins[checkinIndex(*c, st.N)]
	switch {
	case st.Sent:
		ci.Sent = a.At
	case st.Reminded:
		ci.Reminded = a.At
	case st.Result != "":
		ci.Result, ci.At = st.Result, a.At
	}
	if st.Result == CheckinStopped {
		c.CheckinsOff = true
		cancelCheckins(c, a.At)
	}
}

// cancelCheckins cancels the check-ins still to send or awaiting an answer.
func cancelCheckins(c *Case, at time.Time) {
	for i := range c.Checkins {
		if ci := &c.Checkins[i]; ci.Result == "" {
			ci.Result, ci.At = CheckinCancelled, at
		}
	}
}

// checkinNote is the history note of a check-in step: "<n>:<what>".
func checkinNote(st CheckinStep) string {
	what := string(st.Result)
	switch {
	case st.Sent:
		what = "sent"
	case st.Reminded:
		what = "reminded"
	}
	return strconv.Itoa(st.N) + ":" + what
}

// agreed is what staff recorded as agreed when they last closed the case.
func agreed(c Case) string {
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].Action == ActClose {
			return c.History[i].Note
		}
	}
	return ""
}
