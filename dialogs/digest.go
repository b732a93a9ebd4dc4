package dialogs

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// digestMax bounds the case numbers listed on one line of the digest.
const digestMax = 30

// digest posts the daily digest in the staff group and schedules the next one: new
// cases, overdue ones, hearings this week and check-ins that need a follow-up. Numbers
// and case numbers only: the group never sees personal data.
func (e *Engine) digest(ctx context.Context, r *replies, j Job) error {
	next, ok := e.nextDigest(e.now())
	if !ok {
		return nil // turned off: the chain ends here
	}
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	r.fx.Schedule = append(r.fx.Schedule, next)
	d := ComputeDigest(all, e.now(), e.cfg.Location)
	parts := []Text{T("digest.title", "Date", e.now().Format("2006-01-02"))}
	for _, l := range []struct {
		key     string
		numbers []string
	}{{"digest.new", d.New}, {"digest.overdue", d.Overdue}, {"digest.hearings", d.Hearings},
		{"digest.not_at_all", d.NotAtAll}, {"digest.unanswered", d.Unanswered}} {
		parts = append(parts, T("digest.line", "N", strconv.Itoa(len(l.numbers)), "Numbers", listNumbers(l.numbers)).Ref("What", l.key).Line())
	}
	r.send(Delivery{To: ToStaff(), Msg: Message{Lang: e.cfg.StaffLang, Parts: parts}})
	return nil
}

// Digest is what the daily digest lists, as case numbers.
type Digest struct {
	New        []string // received in the last 24 hours
	Overdue    []string // open past the review period, materials overdue, or a rectification suggestion past its deadline
	Hearings   []string // hearings in the next seven days
	NotAtAll   []string // a check-in answered "not at all", not reopened and no visit recorded since
	Unanswered []string // a check-in with no response or unreachable, not followed up since
}

// ComputeDigest lists the digest's cases as of now, in loc.
func ComputeDigest(cases []Case, now time.Time, loc *time.Location) Digest {
	var d Digest
	today := dateIn(now, loc)
	for _, c := range cases {
		if now.Sub(c.Submitted) < 24*time.Hour && !c.Submitted.After(now) {
			d.New = append(d.New, c.Number)
		}
		if overdue(c, today) {
			d.Overdue = append(d.Overdue, c.Number)
		}
		if h := c.Hearing; c.Status == StatusHearing && h != nil && !h.At.Before(now) && h.At.Before(now.Add(7*24*time.Hour)) {
			d.Hearings = append(d.Hearings, c.Number)
		}
		if c.Status != StatusClosed {
			continue
		}
		if needsFollowUp(c, CheckinNotAtAll) {
			d.NotAtAll = append(d.NotAtAll, c.Number)
		}
		if needsFollowUp(c, CheckinNoResponse, CheckinUnreachable) {
			d.Unanswered = append(d.Unanswered, c.Number)
		}
	}
	return d
}

// overdue reports whether something of c is past its date on today.
func overdue(c Case, today time.Time) bool {
	if !c.ReviewDue.IsZero() && c.Status.Open() && c.ReviewDue.Before(today) {
		return true
	}
	if c.Status == StatusMaterials && c.Materials != nil && c.Materials.Due.Before(today) {
		return true
	}
	for _, rc := range c.Rectifications {
		if rc.Adopted.IsZero() && rc.Due.Before(today) {
			return true
		}
	}
	return false
}

// needsFollowUp reports whether c's latest check-in result is one of results with no
// visit recorded after it.
func needsFollowUp(c Case, results ...CheckinResult) bool {
	var last *Checkin
	for i := range c.Checkins {
		if ci := &c.Checkins[i]; ci.Result != "" && ci.Result != CheckinCancelled && (last == nil || ci.At.After(last.At)) {
			last = ci
		}
	}
	if last == nil || !slices.Contains(results, last.Result) {
		return false
	}
	for _, v := range c.Visits {
		if v.Recorded.After(last.At) {
			return false
		}
	}
	return true
}

// listNumbers joins case numbers, at most digestMax of them.
func listNumbers(ns []string) string {
	if len(ns) == 0 {
		return "—"
	}
	s := strings.Join(ns[:min(len(ns), digestMax)], ", ")
	if len(ns) > digestMax {
		s += ", …"
	}
	return s
}
