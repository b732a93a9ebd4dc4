package dialogs

import (
	"slices"
	"time"
)

// The jobs a case needs follow from its state: check-ins planned or awaiting an answer,
// a hearing's notice and reminder, a materials deadline, the rectification deadlines and
// the end of the review period. Every case write compares the jobs of the case before and
// after it and schedules or cancels the difference in the same commit (write), so the
// schedule never disagrees with the cases; each job checks the case again when it fires.

// Lead times of the timed messages.
const (
	hearingNoticeLead = 3 * 24 * time.Hour // the hearing rules: participants are told three days ahead
	hearingRepeatGap  = 2 * 24 * time.Hour // the three-day notice repeats the first one only this long after it
	materialsLeadDays = 2                  // the petitioner is reminded two days before the materials are due
)

// write records c's new state nc (c as read) with the jobs that change.
func (e *Engine) write(r *replies, c, nc Case) {
	r.writeCase(nc, c.Version)
	before, after := e.jobsOf(c), e.jobsOf(nc)
	for _, id := range sortedKeys(after) {
		if b, ok := before[id]; !ok || !b.Due.Equal(after[id].Due) {
			r.fx.Schedule = append(r.fx.Schedule, after[id])
		}
	}
	for _, id := range sortedKeys(before) {
		if _, ok := after[id]; !ok {
			r.fx.Cancel = append(r.fx.Cancel, id)
		}
	}
}

// jobsOf returns the jobs case c needs, by id.
func (e *Engine) jobsOf(c Case) map[string]Job {
	out := map[string]Job{}
	if c.Number == "" {
		return out
	}
	add := func(j Job) { out[j.ID] = j }
	f, loc := e.cfg.Followup, e.cfg.Location
	if c.Status == StatusClosed {
		for _, ci := range c.Checkins {
			switch {
			case ci.pending():
				add(caseJob(JobCheckin, c, c.ChatID, ci.N, f.Hours.Next(ci.Due, loc)))
			case ci.awaiting() && ci.Reminded.IsZero():
				add(caseJob(JobCheckinReminder, c, c.ChatID, ci.N, f.Hours.Next(ci.Sent.Add(f.Reminder), loc)))
			case ci.awaiting():
				add(caseJob(JobCheckinLapse, c, 0, ci.N, ci.Reminded.Add(f.Reminder)))
			}
		}
	}
	if h := c.Hearing; c.Status == StatusHearing && h != nil {
		notice := f.Hours.Opening(h.At.Add(-hearingNoticeLead), loc)
		if h.Notified.IsZero() && c.ChatID != 0 && notice.After(h.Set.Add(hearingRepeatGap)) {
			add(caseJob(JobHearingNotice, c, c.ChatID, 0, notice))
		}
		remind := f.Hours.Opening(h.At.Add(-24*time.Hour), loc)
		if h.Reminded.IsZero() && remind.After(h.Set) && remind.Before(h.At) {
			add(caseJob(JobHearingReminder, c, c.ChatID, 0, remind))
		}
	}
	if m := c.Materials; c.Status == StatusMaterials && m != nil {
		remind := e.dayAt(m.Due.AddDate(0, 0, -materialsLeadDays))
		if m.Reminded.IsZero() && m.Flagged.IsZero() && c.ChatID != 0 && remind.After(lastEvent(c, ActMaterials)) {
			add(caseJob(JobMaterialsRemind, c, c.ChatID, 0, remind))
		}
		if m.Flagged.IsZero() {
			add(caseJob(JobMaterialsOverdue, c, 0, 0, e.dayAt(m.Due.AddDate(0, 0, 1))))
		}
	}
	for i, rc := range c.Rectifications {
		if rc.Adopted.IsZero() && rc.Flagged.IsZero() {
			add(caseJob(JobRectOverdue, c, 0, i+1, e.dayAt(rc.Due.AddDate(0, 0, 1))))
		}
	}
	if !c.ReviewDue.IsZero() && c.Status.Open() {
		if !c.ReviewNear.Equal(c.ReviewDue) {
			add(caseJob(JobReviewNear, c, 0, 0, e.dayAt(c.ReviewDue.AddDate(0, 0, -f.ReviewWarnDays))))
		}
		if !c.ReviewOver.Equal(c.ReviewDue) {
			add(caseJob(JobReviewOver, c, 0, 0, e.dayAt(c.ReviewDue.AddDate(0, 0, 1))))
		}
	}
	return out
}

// dayAt is the opening of the timed-message hours on calendar day d (a date at midnight
// UTC, as dates are kept), in the configured zone.
func (e *Engine) dayAt(d time.Time) time.Time {
	return e.cfg.Followup.Hours.Opening(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, e.cfg.Location), e.cfg.Location)
}

// checkinPlan is when the check-ins after a resolution at t are sent: at each offset, in
// the check-in hours.
func (e *Engine) checkinPlan(t time.Time) []time.Time {
	out := make([]time.Time, 0, len(e.cfg.Followup.Offsets))
	for _, off := range e.cfg.Followup.Offsets {
		out = append(out, e.cfg.Followup.Hours.Next(t.Add(off), e.cfg.Location).UTC())
	}
	return out
}

// lastEvent is when action last happened to c; zero if never.
func lastEvent(c Case, action Action) time.Time {
	for i := len(c.History) - 1; i >= 0; i-- {
		if c.History[i].Action == action {
			return c.History[i].Time
		}
	}
	return time.Time{}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
