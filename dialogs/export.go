package dialogs

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// ExportColumns are the columns of /export, in order: an external contract (the office's
// spreadsheets read them). "full" adds ExportFullColumns.
var ExportColumns = []string{"number", "source", "status", "dispute_type", "submitted", "accepted", "closed",
	"outcome", "assignee", "days_open", "rectifications", "rectifications_adopted"}

// ExportFullColumns are the personal columns of "/export <from> <to> full".
var ExportFullColumns = []string{"name", "phone"}

// bom starts a UTF-8 CSV so that spreadsheet programs read its Chinese correctly.
const bom = "\uFEFF"

// ExportCSV writes the cases submitted from..to (days in loc, both included) as CSV with
// a BOM; full adds the applicant's name and phone. Dates are YYYY-MM-DD in loc.
func ExportCSV(cases []Case, from, to time.Time, full bool, now time.Time, loc *time.Location) ([]byte, int) {
	var buf bytes.Buffer
	buf.WriteString(bom)
	w := csv.NewWriter(&buf)
	head := ExportColumns
	if full {
		head = append(append([]string{}, ExportColumns...), ExportFullColumns...)
	}
	_ = w.Write(head)
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.DateOnly)
	}
	rows := 0
	for _, c := range cases {
		d := dateIn(c.Submitted, loc)
		if d.Before(from) || d.After(to) {
			continue
		}
		end := now
		if !c.Closed.IsZero() {
			end = c.Closed
		}
		rec := []string{c.Number, string(sourceOf(c)), string(c.Status), c.Values["dispute"], day(c.Submitted),
			day(c.Accepted), day(c.Closed), string(c.Outcome), assigneeID(c), strconv.Itoa(daysBetween(c.Submitted, end, loc)),
			strconv.Itoa(len(c.Rectifications)), strconv.Itoa(adopted(c))}
		if full {
			name := c.Values["name"]
			if name == "" {
				name = c.Values["org_name"]
			}
			rec = append(rec, name, c.Values["phone"])
		}
		_ = w.Write(rec)
		rows++
	}
	w.Flush()
	return buf.Bytes(), rows
}

func assigneeID(c Case) string {
	if c.Assignee.ID == 0 {
		return ""
	}
	return strconv.FormatInt(c.Assignee.ID, 10)
}

// export answers /export <from> <to> [full]: a CSV document; "full" only in a private
// chat. Every export is audited.
func (e *Engine) export(ctx context.Context, r *replies, in Input, arg string) error {
	f := strings.Fields(arg)
	full := len(f) == 3 && strings.EqualFold(f[2], "full")
	if len(f) != 2 && !full {
		r.say(T("export.usage"))
		return nil
	}
	if full && in.StaffChat {
		r.say(T("staff.private_only"))
		return nil
	}
	from, err1 := parse.ParseCalendarDate(f[0])
	to, err2 := parse.ParseCalendarDate(f[1])
	if err1 != nil || err2 != nil || to.Before(from) {
		r.say(T("export.usage"))
		return nil
	}
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	data, n := ExportCSV(all, from, to, full, e.now(), e.cfg.Location)
	name := "cases-" + parse.FormatDate(from) + "-" + parse.FormatDate(to) + ".csv"
	detail := parse.FormatDate(from) + ".." + parse.FormatDate(to) + " " + strconv.Itoa(n) + " rows"
	if full {
		name = "cases-full-" + parse.FormatDate(from) + "-" + parse.FormatDate(to) + ".csv"
		detail += " full"
	}
	r.send(Delivery{To: r.to, Upload: &Upload{Name: name, Data: data},
		Msg: Message{Lang: r.lang, Parts: []Text{T("export.caption").N(n)}}})
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
		Name: in.UserName, Action: AuditExport, Detail: detail})
	return nil
}

// audit answers /audit <number> (a case's trail) and /audit <from> <to> (the log as CSV).
func (e *Engine) audit(ctx context.Context, r *replies, in Input, arg string) error {
	f := strings.Fields(arg)
	if len(f) == 2 {
		from, err1 := parse.ParseCalendarDate(f[0])
		to, err2 := parse.ParseCalendarDate(f[1])
		if err1 != nil || err2 != nil || to.Before(from) {
			r.say(T("audit.usage"))
			return nil
		}
		entries, err := e.cases.AuditLog(ctx, "")
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		var buf bytes.Buffer
		buf.WriteString(bom)
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"time", "actor", "name", "action", "case", "detail"})
		n := 0
		for _, a := range entries {
			if d := dateIn(a.Time, e.cfg.Location); d.Before(from) || d.After(to) {
				continue
			}
			_ = w.Write([]string{a.Time.In(e.cfg.Location).Format(time.RFC3339), a.Actor, a.Name, a.Action, a.Case, a.Detail})
			n++
		}
		w.Flush()
		r.send(Delivery{To: r.to, Upload: &Upload{Name: "audit-" + f[0] + "-" + f[1] + ".csv", Data: buf.Bytes()},
			Msg: Message{Lang: r.lang, Parts: []Text{T("audit.caption").N(n)}}})
		r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
			Name: in.UserName, Action: AuditExport, Detail: "audit " + strconv.Itoa(n) + " rows"})
		return nil
	}
	c, ok, err := e.caseArg(ctx, r, arg)
	if err != nil || !ok {
		return err
	}
	entries, err := e.cases.AuditLog(ctx, c.Number)
	if err != nil {
		return fmt.Errorf("read the audit log: %w", err)
	}
	parts := []Text{T("audit.title", "Number", c.Number).N(len(entries))}
	for _, a := range entries[max(0, len(entries)-listMax):] {
		parts = append(parts, T("audit.line", "Time", e.formatTime(a.Time), "Who", orDash(a.Name), "Actor", a.Actor,
			"Action", a.Action, "Detail", a.Detail).Line())
	}
	r.say(parts...)
	return nil
}
