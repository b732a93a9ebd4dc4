package dialogs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Stats are the figures /stats shows: the ones the procuratorate publishes. They count
// cases only, never people.
type Stats struct {
	Total          int
	ByStatus       map[Status]int
	ByDispute      map[string]int // dispute field value; "" for none
	BySource       map[Source]int
	ClosedMonth    int // closed this calendar month (in the configured zone)
	ClosedYear     int
	ResolvedMonth  int // of those, closed with an outcome that resolved the dispute
	ResolvedYear   int
	AvgDaysToClose float64 // over every closed case; 0 when none
	RectIssued     int
	RectAdopted    int
	RectOverdue    int // not adopted and past their deadline
}

// ComputeStats counts cases as of now, in loc.
func ComputeStats(cases []Case, now time.Time, loc *time.Location) Stats {
	st := Stats{Total: len(cases), ByStatus: map[Status]int{}, ByDispute: map[string]int{}, BySource: map[Source]int{}}
	now = now.In(loc)
	today := dateOf(now)
	closedDays, closed := 0, 0
	for _, c := range cases {
		st.ByStatus[c.Status]++
		st.ByDispute[c.Values["dispute"]]++
		st.BySource[sourceOf(c)]++
		if c.Status == StatusClosed {
			at := c.Closed.In(loc)
			if at.Year() == now.Year() {
				st.ClosedYear++
				if c.Outcome.Resolved() {
					st.ResolvedYear++
				}
				if at.Month() == now.Month() {
					st.ClosedMonth++
					if c.Outcome.Resolved() {
						st.ResolvedMonth++
					}
				}
			}
			closed++
			closedDays += daysBetween(c.Submitted, c.Closed, loc)
		}
		for _, rc := range c.Rectifications {
			st.RectIssued++
			switch {
			case !rc.Adopted.IsZero():
				st.RectAdopted++
			case rc.Due.Before(today):
				st.RectOverdue++
			}
		}
	}
	if closed > 0 {
		st.AvgDaysToClose = float64(closedDays) / float64(closed)
	}
	return st
}

// stats answers /stats.
func (e *Engine) stats(ctx context.Context, r *replies) error {
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	st := ComputeStats(all, e.now(), e.cfg.Location)
	parts := []Text{T("stats.title").N(st.Total)}
	parts = append(parts, T("stats.by_status"))
	for _, s := range []Status{StatusSubmitted, StatusMaterials, StatusAccepted, StatusInvestigation, StatusReview,
		StatusTalks, StatusHearing, StatusClosed, StatusNotAccepted, StatusWithdrawn} {
		if n := st.ByStatus[s]; n > 0 {
			parts = append(parts, T("stats.line", "N", strconv.Itoa(n)).Ref("What", "status."+string(s)).Line())
		}
	}
	parts = append(parts, T("stats.by_dispute"))
	dispute, _, _ := fieldByID("dispute")
	keys := make([]string, 0, len(st.ByDispute))
	for k := range st.ByDispute {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, T("stats.line", "N", strconv.Itoa(st.ByDispute[k])).Ref("What", orNone(dispute.label(k))).Line())
	}
	parts = append(parts, T("stats.by_source"))
	for _, s := range []Source{SourceApplication, SourceLead, SourceBureau, SourceOther} {
		if n := st.BySource[s]; n > 0 {
			parts = append(parts, T("stats.line", "N", strconv.Itoa(n)).Ref("What", sourceLabel(s)).Line())
		}
	}
	parts = append(parts, T("stats.closed",
		"Month", strconv.Itoa(st.ClosedMonth), "Year", strconv.Itoa(st.ClosedYear),
		"ResolvedMonth", strconv.Itoa(st.ResolvedMonth), "ResolvedYear", strconv.Itoa(st.ResolvedYear),
		"Avg", strconv.FormatFloat(st.AvgDaysToClose, 'f', 1, 64)))
	parts = append(parts, T("stats.rect", "Issued", strconv.Itoa(st.RectIssued), "Adopted", strconv.Itoa(st.RectAdopted),
		"Overdue", strconv.Itoa(st.RectOverdue)).Line())
	parts = append(parts, retentionStats(all, e.now(), e.cfg.CaseRetention))
	r.say(parts...)
	return nil
}
