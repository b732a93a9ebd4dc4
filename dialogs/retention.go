package dialogs

import (
	"strconv"
	"time"
)

// Retention: a case closed (closed with an outcome, not accepted or withdrawn) longer ago
// than the configured retention loses its personal data. What remains is what the
// statistics and the export without "full" need: number, source, status, dispute type,
// dates, outcome, the assignee's user id, the steps (when, what, by whom as a role or a
// staff id) and the rectification suggestions' bodies and dates. The bot's store is not
// the official case file: the office sets the retention from its archive rules.

// ActErase is the history event of an erasure: the case's version moves on with it, so a
// staff action read before the erasure cannot write the old data back.
const ActErase Action = "erase"

// ErasePersonal returns c without its personal data, erased at. Choice answers (the
// dispute type, the screening route) are kept; typed answers, documents, notes, names of
// staff and officers, the petitioner's chat and the screening's dates are not.
func ErasePersonal(c Case, at time.Time) Case {
	e := Case{
		Number: c.Number, Version: c.Version + 1, Source: sourceOf(c), Lang: c.Lang,
		Status: c.Status, Submitted: c.Submitted, Accepted: c.Accepted, Closed: c.Closed,
		ReviewDue: c.ReviewDue, Outcome: c.Outcome, Erased: at,
		Assignee:  Staffer{ID: c.Assignee.ID},
		Values:    map[string]string{},
		Screening: Screening{Result: c.Screening.Result, Reason: c.Screening.Reason, Route: c.Screening.Route},
	}
	for k, v := range c.Values {
		if f, _, ok := fieldByID(k); ok && len(f.choices) > 0 && f.hasChoice(v) {
			e.Values[k] = v
		}
	}
	if c.Grade != nil {
		e.Grade = &Grade{Level: c.Grade.Level}
	}
	if c.Hearing != nil {
		e.Hearing = &Hearing{At: c.Hearing.At}
	}
	if c.Materials != nil {
		e.Materials = &Materials{Due: c.Materials.Due}
	}
	for _, r := range c.Rectifications {
		e.Rectifications = append(e.Rectifications, Rectification{Body: r.Body, Due: r.Due, Issued: r.Issued, Adopted: r.Adopted})
	}
	for _, ev := range c.History {
		e.History = append(e.History, Event{Time: ev.Time, Action: ev.Action, Status: ev.Status, By: ev.By})
	}
	e.History = append(e.History, Event{Time: at, Action: ActErase, Status: c.Status, By: "system"})
	return e
}

// DueForErasure reports whether c's personal data is to be erased at now under retention.
func DueForErasure(c Case, now time.Time, retention time.Duration) bool {
	return !c.Closed.IsZero() && c.Erased.IsZero() && !c.Closed.After(now.Add(-retention))
}

// withRetention adds a duration to t as the argument Retention (a number) and the
// reference Unit (years when it is whole years, else days).
func withRetention(t Text, d time.Duration) Text {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	n, unit := max(1, int((d+day-1)/day)), "day"
	if d >= year && d%year == 0 {
		n, unit = int(d/year), "year"
	}
	if n != 1 {
		unit += "s"
	}
	if t.Args == nil {
		t.Args = map[string]string{}
	}
	t.Args["Retention"] = strconv.Itoa(n)
	return t.Ref("Unit", "retention."+unit)
}

// retentionStats is the erasure's line in /stats: cases erased, and cases due but not
// erased yet (the job runs every hour).
func retentionStats(cases []Case, now time.Time, retention time.Duration) Text {
	erased, due := 0, 0
	for _, c := range cases {
		switch {
		case !c.Erased.IsZero():
			erased++
		case DueForErasure(c, now, retention):
			due++
		}
	}
	return withRetention(T("stats.retention", "Erased", strconv.Itoa(erased), "Due", strconv.Itoa(due)), retention)
}
