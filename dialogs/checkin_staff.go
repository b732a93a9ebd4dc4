package dialogs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// recentAnswers is how far back /followups lists check-in answers.
const recentAnswers = 30 * 24 * time.Hour

// addFollowup answers /followup <number> <date>: one more check-in of a closed case, sent
// on that day at the opening of the check-in hours (today: now, within them).
func (e *Engine) addFollowup(ctx context.Context, r *replies, in Input, arg string) error {
	number, date, _ := strings.Cut(strings.TrimSpace(arg), " ")
	if strings.TrimSpace(date) == "" {
		r.say(T("followup.usage"))
		return nil
	}
	c, ok, err := e.caseArg(ctx, r, number)
	if err != nil || !ok {
		return err
	}
	d, perr := parse.ParseDue(strings.TrimSpace(date), e.today())
	switch {
	case perr != nil:
		r.say(T("err." + parse.Code(perr)))
		return nil
	case c.ChatID == 0:
		r.say(T("staff.no_chat", "Number", c.Number))
		return nil
	case c.CheckinsOff:
		r.say(T("followup.opted_out", "Number", c.Number))
		return nil
	case c.Status != StatusClosed:
		r.say(T("followup.not_closed", "Number", c.Number).Ref("Status", "status."+string(c.Status)))
		return nil
	}
	due := e.dayAt(d)
	if now := e.now(); due.Before(now) {
		due = now
	}
	due = e.cfg.Followup.Hours.Next(due, e.cfg.Location)
	a := e.staffAct(in, ActFollowup)
	a.Plan = []time.Time{due.UTC()}
	if _, err := e.act(r, c, a); err != nil {
		r.say(refusal(c, err))
		return nil
	}
	r.say(T("followup.added", "Number", c.Number, "Time", e.formatTime(due)))
	return nil
}

// followups answers /followups: check-ins still to send (soonest first), those overdue
// (reminded and still unanswered, no response, unreachable: not followed up by a visit),
// and the answers of the last 30 days (newest first). No personal data.
func (e *Engine) followups(ctx context.Context, r *replies) error {
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	type line struct {
		at time.Time
		t  Text
	}
	var due, late, answers []line
	now := e.now()
	for _, c := range all {
		for _, ci := range c.Checkins {
			n := strconv.Itoa(ci.N)
			switch {
			case ci.pending() && c.Status == StatusClosed:
				due = append(due, line{ci.Due, T("followups.due_line", "Number", c.Number, "N", n, "Time", e.formatTime(ci.Due))})
			case ci.awaiting() && !ci.Reminded.IsZero():
				late = append(late, line{ci.Sent, T("followups.late_line", "Number", c.Number, "N", n, "Time", e.formatTime(ci.Sent)).Ref("What", "followups.awaiting")})
			case (ci.Result == CheckinNoResponse || ci.Result == CheckinUnreachable) && !visitedAfter(c, ci.At):
				late = append(late, line{ci.Sent, T("followups.late_line", "Number", c.Number, "N", n, "Time", e.formatTime(ci.Sent)).Ref("What", "checkin.result."+string(ci.Result))})
			case ci.Result.Answered() && now.Sub(ci.At) <= recentAnswers:
				answers = append(answers, line{ci.At, T("followups.answer_line", "Number", c.Number, "N", n, "Time", e.formatTime(ci.At)).Ref("Answer", "checkin.result."+string(ci.Result))})
			}
		}
	}
	slices.SortStableFunc(due, func(a, b line) int { return a.at.Compare(b.at) })
	slices.SortStableFunc(late, func(a, b line) int { return a.at.Compare(b.at) })
	slices.SortStableFunc(answers, func(a, b line) int { return b.at.Compare(a.at) })
	var parts []Text
	for _, sec := range []struct {
		key   string
		lines []line
	}{{"followups.due", due}, {"followups.late", late}, {"followups.answers", answers}} {
		parts = append(parts, T(sec.key).N(len(sec.lines)))
		for i, l := range sec.lines {
			if i == listMax {
				parts = append(parts, T("queue.more").N(len(sec.lines)-listMax).Line())
				break
			}
			parts = append(parts, l.t.Line())
		}
	}
	r.say(parts...)
	return nil
}

// visitedAfter reports whether a visit in person was recorded for c after t.
func visitedAfter(c Case, t time.Time) bool {
	for _, v := range c.Visits {
		if v.Recorded.After(t) {
			return true
		}
	}
	return false
}
