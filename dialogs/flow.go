package dialogs

import (
	"strconv"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// startDraft begins a new application at the consent step. Nothing personal is stored
// until the petitioner has agreed.
func (e *Engine) startDraft(r *replies, s *Session) {
	s.Draft = &Draft{ID: e.cfg.NewID(), Started: e.now(), Field: flow[0].id, Values: map[string]string{}}
	s.Active = true
	e.prompt(r, s)
}

// prompt asks the current field's question with the progress line and its buttons.
func (e *Engine) prompt(r *replies, s *Session) {
	d := s.Draft
	if d.Field == "review" {
		e.review(r, s)
		return
	}
	f, i, ok := fieldByID(d.Field)
	if !ok { // a field removed in a newer version: continue from the start
		d.Field = next(d, -1)
		f, i, _ = fieldByID(d.Field)
	}
	parts := []Text{T("progress", "Step", strconv.Itoa(f.step), "Total", strconv.Itoa(Steps))}
	switch f.id {
	case "consent":
		parts = append(parts, T("ask.consent", "Name", e.cfg.Procuratorate.Name, "Days", e.ttlDays()))
	case "key_date":
		parts = append(parts, T(keyDatePrompt(d)))
	case "screen_ack":
		parts = append(parts, screeningTexts(screen(d, e.today()))...)
		parts = append(parts, T("ask.screen_ack"))
	case "court", "case_number":
		parts = append(parts, T(leadVariant(d, "ask."+f.id)))
	case "request":
		parts = append(parts, T(leadVariant(d, "ask.request"), "Max", strconv.Itoa(maxRequest)))
	case "facts":
		parts = append(parts, T(leadVariant(d, "ask.facts"), "Max", strconv.Itoa(maxFacts)))
	case "documents":
		parts = append(parts, T(leadVariant(d, "ask.documents"), "Max", strconv.Itoa(maxDocs)))
		if !sensitiveOK(d) {
			parts = append(parts, T("ask.documents_no_id"))
		}
		if len(d.Docs) > 0 {
			parts = append(parts, T("doc.count").N(len(d.Docs)))
		}
	case "agent_name":
		if isMinor(d) {
			parts = append(parts, T("ask.guardian_name"))
		} else {
			parts = append(parts, T("ask.agent_name"))
		}
	default:
		parts = append(parts, T("ask."+f.id))
	}
	var buttons [][]Button
	for _, c := range f.choices {
		buttons = append(buttons, row(btn(c.label, "f:"+f.id+":"+c.value)))
	}
	var nav []Button
	if prev(d, i) != "" {
		nav = append(nav, btn("nav.back", "n:back:"+f.id))
	}
	if f.optional {
		nav = append(nav, btn("nav.skip", "n:skip:"+f.id))
	}
	if f.docs {
		nav = append(nav, btn("nav.done", "n:done:"+f.id))
	}
	if e.kb != nil {
		nav = append(nav, btn("nav.ask", "n:ask:"+f.id))
	}
	if len(nav) > 0 {
		buttons = append(buttons, nav)
	}
	r.ask(parts, buttons)
}

// answerText takes typed text as the answer to the current field.
func (e *Engine) answerText(r *replies, s *Session, text string) {
	d := s.Draft
	if d.Field == "review" {
		r.say(T("review.use_buttons"))
		e.review(r, s)
		return
	}
	f, _, _ := fieldByID(d.Field)
	switch {
	case f.docs:
		r.say(T("doc.send_file"))
		e.prompt(r, s)
	case f.parse == nil:
		r.say(T("choose.use_buttons"))
		e.prompt(r, s)
	default:
		p := f.parse(e, d, text)
		if p.err != nil {
			r.say(*p.err)
			e.prompt(r, s)
			return
		}
		e.answer(r, s, f, p.value)
	}
}

// answer stores a valid value, says what follows from it, and moves on.
func (e *Engine) answer(r *replies, s *Session, f field, v string) {
	d := s.Draft
	d.set(f.id, v)
	var notes []Text
	switch f.id {
	case "consent", "consent_abroad":
		if v == "no" {
			s.Draft, s.Active = nil, false
			e.menu(r, T(declinedKey[f.id]))
			return
		}
	case "consent_sensitive":
		if v == "no" { // forget anything given before the consent was withdrawn
			for _, id := range []string{"id_type", "id_number", "other_doc_type", "other_doc_number", "minor"} {
				delete(d.Values, id)
			}
			notes = append(notes, T("consent.sensitive_declined"))
		}
	case "target", "retrial":
		notes = append(notes, T("explain."+f.id+"."+v))
		clearScreeningAfter(d, f.id)
		d.set("intake", intakeOf(d))
	case "retrial_late", "retrial_origin", "extension", "enf_remedy", "service":
		clearScreeningAfter(d, f.id)
	case "screen_ack", "lead":
		if v == "stop" {
			s.Draft, s.Active = nil, false
			e.menu(r, T(f.id+".stopped"))
			return
		}
	case "key_date", "discovered_date":
		if f.id == "key_date" {
			d.set("key_passed", "no")
			if screenUsual(d, e.today()).Result == ScreenPassed {
				d.set("key_passed", "yes")
			}
		}
		if !notNow(d) { // otherwise the next question explains
			notes = append(notes, screeningTexts(screen(d, e.today()))...)
		}
	case "id_number":
		id, _ := parse.ParseResidentID(v, e.today())
		wasMinor := d.get("minor") == "yes"
		d.set("minor", "no")
		switch {
		case parse.Age(id.Birth, e.today()) < 18:
			d.set("minor", "yes")
			d.set("representation", "agent")
			notes = append(notes, T("minor.notice"))
		case wasMinor: // the guardian was forced: ask again how the adult applies
			delete(d.Values, "representation")
		}
	}
	_, i, _ := fieldByID(f.id)
	d.Field = e.following(d, i)
	if len(notes) > 0 {
		r.say(notes...)
	}
	e.prompt(r, s)
}

// following picks the field after index i. While editing from the review, it asks only
// the fields that the change made necessary and that have no answer yet (a new screening
// route's questions, court details after a lead became an application), then returns to
// the review.
func (e *Engine) following(d *Draft, i int) string {
	if !d.Editing {
		return next(d, i)
	}
	for j := i + 1; j < len(flow); j++ {
		g := flow[j]
		if g.id == "review" {
			break
		}
		if _, answered := d.Values[g.id]; g.appliesTo(d) && !answered && !g.docs {
			return g.id
		}
	}
	d.Editing = false
	return "review"
}

// declinedKey is the farewell after each consent that ends the application when refused.
var declinedKey = map[string]string{"consent": "consent.declined", "consent_abroad": "consent.abroad_declined"}

// clearScreeningAfter forgets the screening answers that followed field id: they
// depended on it and are asked again.
func clearScreeningAfter(d *Draft, id string) {
	_, i, _ := fieldByID(id)
	for _, g := range flow[i+1:] {
		if g.step == 2 {
			delete(d.Values, g.id)
		}
	}
	delete(d.Values, "key_passed")
}

// navigate handles back, skip and done.
func (e *Engine) navigate(r *replies, s *Session, action string) {
	d := s.Draft
	f, i, _ := fieldByID(d.Field)
	switch {
	case action == "back":
		// While editing from the review, going back stays in edit mode: after the
		// previous answer the review comes again.
		p := prev(d, i)
		if p == "" {
			r.say(T("nav.first"))
		} else {
			d.Field = p
		}
	case action == "skip" && f.optional:
		d.set(f.id, "")
		d.Field = e.following(d, i)
	case action == "done" && f.docs:
		d.Field = e.following(d, i)
	case action == "ask":
		s.Asking = true
		r.say(e.askPrompt()...)
		return
	default:
		r.say(T("stale"))
	}
	e.prompt(r, s)
}

// edit jumps from the review to one field; after it the flow returns to the review.
func (e *Engine) edit(r *replies, s *Session, f field) {
	d := s.Draft
	d.Field, d.Editing = f.id, true
	e.prompt(r, s)
}

// attachment stores a document at the documents step and explains elsewhere.
func (e *Engine) attachment(r *replies, s *Session, a Attachment) {
	d := s.Draft
	switch {
	case d == nil:
		e.menu(r, T("doc.not_expected"))
	case !s.Active:
		r.say(T("doc.not_expected"))
		e.offerDraft(r, s)
	case d.Field != "documents":
		r.say(T("doc.not_now"))
		e.prompt(r, s)
	case len(d.Docs) >= maxDocs:
		r.say(T("doc.too_many", "Max", strconv.Itoa(maxDocs)))
		e.prompt(r, s)
	default:
		a.Name = parse.Clean(a.Name)
		d.Docs = append(d.Docs, a)
		r.ask([]Text{T("doc.received").N(len(d.Docs))},
			[][]Button{row(btn("nav.done", "n:done:documents"), btn("nav.back", "n:back:documents"))})
	}
}
