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

// listMax bounds the lines of a list and the buttons under it.
const listMax = 30

// queue answers /queue (open cases nobody handles, oldest first) and /mine (the open cases
// of the staff user). Overdue cases are marked; in a private chat each line has a button
// opening its card.
func (e *Engine) queue(ctx context.Context, r *replies, in Input, mine bool) error {
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	var list []Case
	for _, c := range all {
		if c.Status.Open() && ((!mine && c.Assignee.ID == 0) || (mine && c.Assignee.ID == in.UserID)) {
			list = append(list, c)
		}
	}
	slices.SortFunc(list, func(a, b Case) int { return a.Submitted.Compare(b.Submitted) })
	title := "queue.title"
	if mine {
		title = "queue.mine"
	}
	parts := []Text{T(title).N(len(list))}
	var buttons [][]Button
	for i, c := range list {
		if i == listMax {
			parts = append(parts, T("queue.more").N(len(list)-listMax).Line())
			break
		}
		parts = append(parts, e.queueLine(c).Line())
		if !in.StaffChat {
			buttons = append(buttons, row(Button{Label: T("queue.open", "Number", c.Number), Data: "s:" + viewCard + ":" + c.Number + ":" + strconv.FormatInt(c.Version, 10)}))
		}
	}
	r.ask(parts, buttons)
	return nil
}

// queueLine is one case in a list: number, status, days open, and what is overdue.
func (e *Engine) queueLine(c Case) Text {
	key := "queue.line"
	switch {
	case !c.ReviewDue.IsZero() && c.ReviewDue.Before(e.today()) && c.Status.Open():
		key = "queue.line_overdue"
	case c.Status == StatusMaterials && c.Materials != nil && c.Materials.Due.Before(e.today()):
		key = "queue.line_materials"
	}
	return T(key, "Number", c.Number).Ref("Status", "status."+string(c.Status)).N(daysBetween(c.Submitted, e.now(), e.cfg.Location))
}

// showCase answers /case <number>: the card (a copy, not edited later) and, in a private
// chat, the case's history with the staff's notes.
func (e *Engine) showCase(ctx context.Context, r *replies, in Input, arg string) error {
	c, ok, err := e.caseArg(ctx, r, arg)
	if err != nil || !ok {
		return err
	}
	r.msgs = append(r.msgs, Card(c, r.lang, e.cfg.Location, e.now()))
	if in.StaffChat {
		return nil
	}
	parts := []Text{T("case.history", "Number", c.Number)}
	for _, ev := range c.History[max(0, len(c.History)-listMax):] {
		who := ev.Name
		if ev.By == string(RolePetitioner) {
			who = "—"
		}
		t := T("case.event", "Time", e.formatTime(ev.Time), "Who", orDash(who), "Note", ev.Note).Ref("Action", "act."+string(ev.Action))
		parts = append(parts, t.Line())
	}
	r.say(parts...)
	return nil
}

// caseArg reads a case number argument and its case; a missing or unknown one is
// explained (ok false).
func (e *Engine) caseArg(ctx context.Context, r *replies, arg string) (Case, bool, error) {
	number, _, _ := strings.Cut(strings.TrimSpace(arg), " ")
	if number == "" {
		r.say(T("staff.need_number"))
		return Case{}, false, nil
	}
	c, err := e.cases.Get(ctx, strings.ToUpper(number))
	if err != nil {
		if err = ignoreNotFound(err); err == nil {
			r.say(T("staff.no_case"))
		}
		return Case{}, false, err
	}
	return c, true, nil
}

// find answers /find <number, name or phone>, in a private chat only; searches are
// audited. A number matches in part; a name or phone only as a whole (the store keeps
// keyed hashes of them, see SearchTerms).
func (e *Engine) find(ctx context.Context, r *replies, in Input, q string) error {
	q = strings.TrimSpace(parse.Clean(q))
	if len([]rune(q)) < 2 {
		r.say(T("find.usage"))
		return nil
	}
	all, err := e.cases.List(ctx)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	var hits []Case
	uq := strings.ToUpper(q)
	for _, c := range all {
		if strings.Contains(c.Number, uq) {
			hits = append(hits, c)
		}
	}
	found, err := e.cases.Find(ctx, QueryTerms(q))
	if err != nil {
		return fmt.Errorf("find cases: %w", err)
	}
	for _, c := range found {
		if !slices.ContainsFunc(hits, func(h Case) bool { return h.Number == c.Number }) {
			hits = append(hits, c)
		}
	}
	slices.SortStableFunc(hits, func(a, b Case) int { return a.Submitted.Compare(b.Submitted) })
	parts := []Text{T("find.title").N(len(hits))}
	var buttons [][]Button
	for i, c := range hits {
		if i == listMax {
			break
		}
		parts = append(parts, e.queueLine(c).Line())
		buttons = append(buttons, row(Button{Label: T("queue.open", "Number", c.Number), Data: "s:" + viewCard + ":" + c.Number + ":" + strconv.FormatInt(c.Version, 10)}))
	}
	r.ask(parts, buttons)
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
		Name: in.UserName, Action: AuditFind, Detail: strconv.Itoa(len(hits)) + " found"})
	return nil
}

// assignCmd answers /assign <number> [user id | me].
func (e *Engine) assignCmd(ctx context.Context, r *replies, in Input, arg string) error {
	c, ok, err := e.caseArg(ctx, r, arg)
	if err != nil || !ok {
		return err
	}
	_, who, _ := strings.Cut(strings.TrimSpace(arg), " ")
	who = strings.TrimSpace(who)
	st := Staffer{ID: in.UserID, Name: in.UserName}
	if who != "" && who != "me" {
		id, err := strconv.ParseInt(strings.TrimPrefix(who, "#"), 10, 64)
		if err != nil || !e.isStaff(id) {
			r.say(T("assign.not_staff"))
			return nil
		}
		if id != in.UserID {
			st = Staffer{ID: id, Name: "#" + strconv.FormatInt(id, 10)}
		}
	}
	a := e.staffAct(in, ActAssign)
	a.Assignee = st
	return e.staffApply(r, c, a)
}

// noteOrReply answers /note <number> <text> and /reply <number> <text>; /reply Q-… answers
// a petitioner's question.
func (e *Engine) noteOrReply(ctx context.Context, r *replies, in Input, name, arg string) error {
	number, text, _ := strings.Cut(strings.TrimSpace(arg), " ")
	text = strings.TrimSpace(parse.Clean(text))
	if name == "/reply" && strings.HasPrefix(strings.ToUpper(number), "Q-") {
		return e.answerQuestionStaff(ctx, r, in, strings.ToUpper(number), text)
	}
	c, ok, err := e.caseArg(ctx, r, number)
	if err != nil || !ok {
		return err
	}
	if text == "" || len([]rune(text)) > 2000 {
		r.say(T("staff.text_usage"))
		return nil
	}
	a := e.staffAct(in, ActNote)
	if name == "/reply" {
		if c.ChatID == 0 {
			r.say(T("staff.no_chat", "Number", c.Number))
			return nil
		}
		a.Action = ActMessage
	}
	a.Note = text
	return e.staffApply(r, c, a)
}

// details is a case's personal details, for a staff user's private chat only.
func (e *Engine) details(c Case, lang string) Message {
	parts := []Text{T("details.title", "Number", c.Number).Ref("Source", sourceLabel(sourceOf(c)))}
	if !c.Erased.IsZero() {
		parts = append(parts, T("details.erased", "Date", c.Erased.In(e.cfg.Location).Format(time.DateOnly)).Line())
	}
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return fieldIndex(a) - fieldIndex(b) })
	for _, k := range keys {
		f, _, ok := fieldByID(k)
		v := c.Values[k]
		if !ok || notSummarised[k] || v == "" {
			continue
		}
		t := T("review.line").Ref("Label", "label."+k)
		if len(f.choices) > 0 {
			t = t.Ref("Value", f.label(v))
		} else {
			t.Args = map[string]string{"Value": v}
		}
		parts = append(parts, t.Line())
	}
	parts = append(parts, T("review.docs").N(len(c.Docs)).Line())
	if c.Source == SourceApplication {
		parts = append(parts, staffScreening(c.Screening))
	}
	return Message{Lang: lang, Parts: parts}
}

// fieldIndex orders fields as the application asks them; unknown ones last.
func fieldIndex(id string) int {
	if _, i, ok := fieldByID(id); ok {
		return i
	}
	return len(flow)
}
