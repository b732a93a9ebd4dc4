package dialogs

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// A staff action that needs details (a reason, a date, the hearing officers…) asks them
// one at a time in the staff user's private chat, then applies them. Pressed in the staff
// group, the first question goes to the private chat (the group sees no free text).

type stepKind int

const (
	stepText        stepKind = iota // free text up to max characters
	stepDue                         // a date today or later
	stepAppointment                 // a date today or later and a time of day
	stepChoice                      // one of choices, by button
	stepDate                        // a date today or earlier
)

// formStep is one question of a form; its prompt is "form.<form>.<id>".
type formStep struct {
	id       string
	kind     stepKind
	choices  []formChoice
	optional bool
	max      int
	when     func(v map[string]string) bool // nil: always asked
}

func textStep(id string, max int) formStep { return formStep{id: id, kind: stepText, max: max} }

// forms are the questions of each action that needs details.
var forms = map[Action][]formStep{
	ActReject:    {textStep("reason", 1000)},
	ActMaterials: {textStep("what", 1000), {id: "due", kind: stepDue}},
	ActLapse:     {{id: "confirm", kind: stepChoice, choices: []formChoice{{value: "yes", label: "form.yes"}, {value: "no", label: "form.no"}}}},
	ActGrade: {
		{id: "level", kind: stepChoice, choices: []formChoice{{value: GradeGeneral, label: "grade.general"}, {value: GradeMajor, label: "grade.major"}}},
		textStep("approval", 200),
		{id: "consultancy", kind: stepText, max: 500, when: func(v map[string]string) bool { return v["level"] == GradeMajor }},
		{id: "lead", kind: stepText, max: 50, optional: true, when: func(v map[string]string) bool { return v["level"] == GradeMajor }},
	},
	ActHearing: {
		{id: "at", kind: stepAppointment}, textStep("place", 200),
		{id: OfficerDeputy, kind: stepText, max: 50, optional: true},
		{id: OfficerCPPCC, kind: stepText, max: 50, optional: true},
		{id: OfficerExpert, kind: stepText, max: 50, optional: true},
	},
	ActClose:   {{id: "outcome", kind: stepChoice, choices: outcomeChoices()}, textStep("agreed", 1000)},
	ActRectify: {textStep("body", 100), textStep("content", 1000), {id: "due", kind: stepDue}},
	ActAdopted: {{id: "which", kind: stepChoice}}, // choices: the case's pending suggestions
	ActExtend:  {{id: "due", kind: stepDue}, textStep("approval", 200)},
	ActMessage: {textStep("text", 2000)},
	ActNote:    {textStep("text", 2000)},
	ActVisit:   {{id: "date", kind: stepDate}, textStep("who", 200)},
	ActSubmit:  registerForm,
}

// formChoice is a button of a form step: the value stored and its label, which may
// show arg as {{.Text}}.
type formChoice struct {
	value, label, arg string
}

func (c formChoice) labelText() Text {
	if c.arg != "" {
		return T(c.label, "Text", c.arg)
	}
	return T(c.label)
}

func outcomeChoices() []formChoice {
	out := make([]formChoice, len(Outcomes))
	for i, o := range Outcomes {
		out[i] = formChoice{value: string(o), label: "outcome." + string(o)}
	}
	return out
}

// formName is the locale group of a form's prompts.
func formName(a Action) string {
	if a == ActSubmit {
		return "register"
	}
	return string(a)
}

// needsForm reports whether an action asks for details before it is applied.
func needsForm(a Action) bool { _, ok := forms[a]; return ok }

// startForm begins action a on case c for a staff user: in their private chat the first
// question is asked there; from the staff group it is sent there, and the form waits in a
// flag for their first answer.
func (e *Engine) startForm(r *replies, s *Session, in Input, a Action, c Case) {
	f := &StaffForm{Action: a, Case: c.Number, Status: c.Status, Values: map[string]string{}}
	if in.StaffChat {
		r.fx.Flags = append(r.fx.Flags, Flag{Chat: in.UserID, Name: FlagForm, Value: codeOf(a) + ":" + c.Number})
		r.send(Delivery{To: ToChat(in.UserID), Msg: e.formPrompt(f, c, r.lang)})
		r.fx.Toast = ptr(T("staff.continue_private"))
		return
	}
	s.Form = f
	r.msgs = append(r.msgs, e.formPrompt(f, c, r.lang))
}

// resumeForm turns a form begun in the staff group (Session.FormStart) into the private
// session's form, at its first question. It reports whether there was one.
func (e *Engine) resumeForm(ctx context.Context, r *replies, s *Session, in Input) (bool, error) {
	start := s.FormStart
	if start == "" || s.Form != nil {
		return false, nil
	}
	r.fx.Flags = append(r.fx.Flags, Flag{Chat: in.UserID, Name: FlagForm, IfValue: start})
	s.FormStart = ""
	code, number, _ := strings.Cut(start, ":")
	a, ok := actionCodes[code]
	if !ok || !needsForm(a) {
		return false, nil
	}
	c, err := e.cases.Get(ctx, number)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	s.Form = &StaffForm{Action: a, Case: c.Number, Status: c.Status, Values: map[string]string{}}
	return true, nil
}

// formPrompt asks the form's current question, with its buttons.
func (e *Engine) formPrompt(f *StaffForm, c Case, lang string) Message {
	st := forms[f.Action][f.Step]
	parts := []Text{T("form."+formName(f.Action)+"."+st.id, "Number", f.Case)}
	var buttons [][]Button
	for _, ch := range e.choicesOf(st, c) {
		buttons = append(buttons, row(Button{Label: ch.labelText(), Data: "g:" + st.id + ":" + ch.value}))
	}
	nav := []Button{btn("form.cancel", "g:cancel")}
	if st.optional {
		nav = append([]Button{btn("nav.skip", "g:"+st.id+":")}, nav...)
	}
	return Message{Lang: lang, Parts: parts, Buttons: append(buttons, nav)}
}

// choicesOf returns a step's choices; "which suggestion" lists the case's pending ones.
func (e *Engine) choicesOf(st formStep, c Case) []formChoice {
	if st.id != "which" {
		return st.choices
	}
	var out []formChoice
	for i, rc := range c.Rectifications {
		if rc.Adopted.IsZero() {
			out = append(out, formChoice{value: strconv.Itoa(i + 1), label: "form.adopted.item", arg: rc.Body})
		}
	}
	return out
}

// formAnswer takes a typed text or a pressed "g:" button as the answer to the form's
// current question; a bad answer is explained and the question asked again.
func (e *Engine) formAnswer(ctx context.Context, r *replies, s *Session, in Input, text string, pressed bool) error {
	f := s.Form
	if pressed && text == "cancel" {
		s.Form = nil
		r.say(T("form.cancelled"))
		return nil
	}
	c, err := e.formCase(ctx, f)
	if err != nil {
		return err
	}
	if f.Action != ActSubmit && (c.Number == "" || c.Status != f.Status) {
		s.Form = nil
		r.say(T("staff.changed", "Number", f.Case).Ref("Status", "status."+string(c.Status)))
		return nil
	}
	st := forms[f.Action][f.Step]
	value, problem := e.stepValue(st, c, text, pressed)
	if problem != nil {
		r.say(*problem)
		r.msgs = append(r.msgs, e.formPrompt(f, c, r.lang))
		return nil
	}
	if f.Values == nil { // an empty map is not stored
		f.Values = map[string]string{}
	}
	f.Values[st.id] = value
	for f.Step++; f.Step < len(forms[f.Action]); f.Step++ {
		if next := forms[f.Action][f.Step]; next.when == nil || next.when(f.Values) {
			r.msgs = append(r.msgs, e.formPrompt(f, c, r.lang))
			return nil
		}
	}
	s.Form = nil
	return e.formDone(ctx, r, in, f, c)
}

// formCase reads the form's case; a registration has none.
func (e *Engine) formCase(ctx context.Context, f *StaffForm) (Case, error) {
	if f.Action == ActSubmit {
		return Case{}, nil
	}
	c, err := e.cases.Get(ctx, f.Case)
	return c, ignoreNotFound(err)
}

// stepValue validates an answer; a problem is the text explaining it.
func (e *Engine) stepValue(st formStep, c Case, text string, pressed bool) (string, *Text) {
	if st.kind == stepChoice || pressed {
		id, v, _ := strings.Cut(text, ":")
		if !pressed || id != st.id {
			return "", ptr(T("choose.use_buttons"))
		}
		if v == "" && st.optional {
			return "", nil
		}
		for _, ch := range e.choicesOf(st, c) {
			if ch.value == v {
				return v, nil
			}
		}
		return "", ptr(T("stale"))
	}
	switch st.kind {
	case stepDate:
		d, err := parse.ParseDate(text, e.today())
		if err != nil {
			return "", ptr(T("err." + parse.Code(err)))
		}
		return parse.FormatDate(d), nil
	case stepDue:
		d, err := parse.ParseDue(text, e.today())
		if err != nil {
			return "", ptr(T("err." + parse.Code(err)))
		}
		return parse.FormatDate(d), nil
	case stepAppointment:
		d, mins, err := parse.ParseAppointment(text, e.today())
		if err != nil {
			return "", ptr(T("err." + parse.Code(err)))
		}
		at := time.Date(d.Year(), d.Month(), d.Day(), 0, mins, 0, 0, e.cfg.Location)
		return at.Format(time.RFC3339), nil
	}
	v := parse.Clean(text)
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0:
		return "", ptr(T("err.empty"))
	case n > st.max:
		return "", ptr(T("err.too_long", "Max", strconv.Itoa(st.max), "Got", strconv.Itoa(n)))
	}
	return v, nil
}

// formDone applies the completed form.
func (e *Engine) formDone(ctx context.Context, r *replies, in Input, f *StaffForm, c Case) error {
	if f.Action == ActSubmit {
		return e.register(ctx, r, in, f.Values)
	}
	v := f.Values
	a := e.staffAct(in, f.Action)
	switch f.Action {
	case ActLapse:
		if v["confirm"] != "yes" {
			r.say(T("confirm.kept"))
			return nil
		}
	case ActReject:
		a.Note = v["reason"]
	case ActMaterials:
		a.Materials = &Materials{What: v["what"], Due: dueDate(v["due"])}
	case ActGrade:
		a.Grade = &Grade{Level: v["level"], Approval: v["approval"], Consultancy: v["consultancy"]}
		a.Lead = v["lead"]
	case ActHearing:
		at, _ := time.Parse(time.RFC3339, v["at"])
		h := &Hearing{At: at, Place: v["place"]}
		for _, role := range []string{OfficerDeputy, OfficerCPPCC, OfficerExpert} {
			if v[role] != "" {
				h.Officers = append(h.Officers, Officer{Role: role, Name: v[role]})
			}
		}
		a.Hearing = h
	case ActClose:
		a.Outcome, a.Note = Outcome(v["outcome"]), v["agreed"]
	case ActRectify:
		a.Rect = &Rectification{Body: v["body"], Content: v["content"], Due: dueDate(v["due"])}
	case ActAdopted:
		a.RectIndex, _ = strconv.Atoi(v["which"])
	case ActExtend:
		a.Due, a.Note = dueDate(v["due"]), v["approval"]
	case ActMessage, ActNote:
		a.Note = v["text"]
	case ActVisit:
		a.Visit, a.Note = &Visit{Date: dueDate(v["date"]), Who: v["who"]}, v["who"]
	}
	return e.staffApply(r, c, a)
}

// staffAct is an act by the staff user of an input, now.
func (e *Engine) staffAct(in Input, a Action) Act {
	return Act{Action: a, Role: RoleStaff, By: Staffer{ID: in.UserID, Name: in.UserName}, At: e.now(), Ref: in.UpdateID}
}

// staffApply applies a staff act and tells the staff user how it went: for a button in
// the staff group by the toast and the edited card only (its messages are rate-limited),
// otherwise by a message.
func (e *Engine) staffApply(r *replies, c Case, a Act) error {
	nc, err := e.act(r, c, a)
	toast := r.button && r.to == ToStaff()
	switch {
	case err != nil && toast:
		r.fx.Toast = ptr(refusal(c, err))
	case err != nil:
		r.say(refusal(c, err))
	case toast:
		r.fx.Toast = ptr(T("staff.done_toast").Ref("Action", "act."+string(a.Action)))
	default:
		r.say(T("staff.done", "Number", nc.Number).Ref("Action", "act."+string(a.Action)).Ref("Status", "status."+string(nc.Status)))
	}
	return nil
}

func dueDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func ptr[T any](v T) *T { return &v }
