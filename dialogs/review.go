package dialogs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// summaryMax is how many characters of a long answer the review shows.
const summaryMax = 300

// notSummarised are the fields the review does not list or offer to edit.
var notSummarised = map[string]bool{
	"consent": true, "consent_abroad": true, "consent_sensitive": true, "lead": true, "screen_ack": true,
	"documents": true, "review": true,
}

// review shows every answer once, with a button to edit each, then submit or cancel.
func (e *Engine) review(r *replies, s *Session) {
	d := s.Draft
	parts := []Text{
		T("progress", "Step", strconv.Itoa(Steps), "Total", strconv.Itoa(Steps)),
		T("review.title"),
	}
	var edits []Button
	for _, f := range flow {
		if notSummarised[f.id] || !f.appliesTo(d) {
			continue
		}
		parts = append(parts, e.summaryLine(d, f).Line())
		edits = append(edits, Button{Label: T("review.edit").Ref("Field", labelKey(d, f)), Data: "e:" + f.id})
		if f.id == "id_number" {
			if id, err := parse.ParseResidentID(d.get(f.id), e.today()); err == nil {
				sex := "sex.female"
				if id.Male {
					sex = "sex.male"
				}
				parts = append(parts, T("review.derived", "Birth", parse.FormatDate(id.Birth)).Ref("Sex", sex).Line())
			}
		}
	}
	if individual(d) && !sensitiveOK(d) {
		parts = append(parts, T("review.id_in_person").Line())
	}
	parts = append(parts, T("review.docs").N(len(d.Docs)).Line())
	edits = append(edits, Button{Label: T("review.edit").Ref("Field", "label.documents"), Data: "e:documents"})
	parts = append(parts, T("review.screening"))
	parts = append(parts, screeningTexts(screen(d, e.today()))...)
	parts = append(parts, T("review.confirm"))

	var buttons [][]Button
	for i := 0; i < len(edits); i += 2 {
		buttons = append(buttons, edits[i:min(i+2, len(edits))])
	}
	buttons = append(buttons, row(btn("review.submit", "r:submit"), btn("review.cancel", "r:cancel")))
	r.ask(parts, buttons)
}

func (e *Engine) summaryLine(d *Draft, f field) Text {
	v, answered := d.Values[f.id]
	t := T("review.line").Ref("Label", labelKey(d, f))
	switch {
	case !answered || v == "":
		return t.Ref("Value", "review.not_given")
	case len(f.choices) > 0:
		return t.Ref("Value", f.label(v))
	}
	if utf8.RuneCountInString(v) > summaryMax {
		v = string([]rune(v)[:summaryMax]) + "…"
	}
	t.Args = map[string]string{"Value": v}
	return t
}

// labelKey names a field in the review: the court of a case still pending is not the
// court of an effective judgment.
func labelKey(d *Draft, f field) string {
	if f.id == "court" && pendingIntake(d) {
		return "label.court_lead"
	}
	return "label." + f.id
}

// applicableValues returns the answers of the fields that apply to the draft: an answer
// left behind by a changed choice (a resident ID after switching to another document) is
// not part of the case.
func applicableValues(d *Draft) map[string]string {
	values := make(map[string]string, len(d.Values))
	for _, f := range flow {
		if v, ok := d.Values[f.id]; ok && f.appliesTo(d) {
			values[f.id] = v
		}
	}
	if isMinor(d) {
		values["minor"] = "yes"
		values["representation"] = "agent" // the guardian applies
	}
	values["intake"] = intakeOf(d)
	return values
}

// submit records the case (once per draft, however often it is retried) and sends the
// receipt.
func (e *Engine) submit(ctx context.Context, r *replies, s *Session, in Input) error {
	d := s.Draft
	if d.get("consent_abroad") != "yes" {
		// A draft begun before the separate consent to the transfer abroad existed: ask
		// for it now, then come back to the review.
		d.Field, d.Editing = "consent_abroad", true
		e.prompt(r, s)
		return nil
	}
	now := e.now()
	no, err := e.cases.Reserve(ctx, d.ID, now.Year())
	if err != nil {
		return fmt.Errorf("reserve a case number for chat %d: %w", in.ChatID, err)
	}
	c := Case{
		Number:    no,
		Source:    draftSource(d),
		DraftID:   d.ID,
		ChatID:    in.ChatID,
		UserID:    in.UserID,
		Lang:      r.lang,
		Values:    applicableValues(d),
		Docs:      d.Docs,
		Screening: screen(d, e.today()),
	}
	if _, err = e.act(r, c, Act{Action: ActSubmit, Role: RolePetitioner, At: now, Ref: in.UpdateID}); err != nil {
		return fmt.Errorf("submit case for chat %d: %w", in.ChatID, err)
	}
	s.Draft, s.Active = nil, false
	p := e.cfg.Procuratorate
	if isLead(d) {
		r.say(T("receipt_lead", "Number", no, "Name", p.Name, "Address", p.Address, "Phone", p.Phone))
		return nil
	}
	r.say(T("receipt", "Number", no, "Name", p.Name, "Address", p.Address, "Phone", p.Phone), T("filing.position"))
	return nil
}

// draftSource is the source of a submitted draft: a supervision application, or a lead
// (a matter still in court, or never taken to court) sent to staff.
func draftSource(d *Draft) Source {
	if strings.HasPrefix(d.get("intake"), "lead") {
		return SourceLead
	}
	return SourceApplication
}
