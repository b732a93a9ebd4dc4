package dialogs

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Messages go both ways between a petitioner and the staff of their case: staff write with
// a card button or /reply; the petitioner's answers and documents come back to the case's
// staff, tagged with the case, whenever staff await them (materials requested, a message
// from staff: Session.Awaiting) or when the petitioner chose to write (Session.Relay). The
// petitioner never sees which staff member wrote; the staff group never sees the content.

// maxRelay bounds a relayed message.
const maxRelay = 2000

// relayTarget is the case the petitioner's next message goes to, if any: an explicit
// choice always; a case awaiting an answer unless the petitioner is in the middle of
// something else.
func relayTarget(s *Session) string {
	switch {
	case s.Relay != "":
		return s.Relay
	case s.Awaiting != "" && !(s.Draft != nil && s.Active) && s.Confirm == "" && !s.Asking:
		return s.Awaiting
	}
	return ""
}

// chooseRelay answers "y:<number>" (write to the staff of a case) and "y:done" (stop
// passing messages on).
func (e *Engine) chooseRelay(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	if arg == "done" {
		s.Relay = ""
		if s.Awaiting != "" {
			r.fx.Flags = append(r.fx.Flags, Flag{Chat: in.ChatID, Name: FlagAwaiting, IfValue: s.Awaiting})
			s.Awaiting = ""
		}
		e.menu(r, T("relay.stopped"))
		return nil
	}
	c, err := e.ownCase(ctx, in.ChatID, arg)
	switch {
	case err != nil:
		if err = ignoreNotFound(err); err == nil {
			r.say(T("withdraw.not_found"))
		}
		return err
	case !Allowed(c.Status, ActReply, RolePetitioner):
		r.say(T("relay.closed", "Number", c.Number))
		return nil
	}
	s.Relay, s.Active, s.Asking, s.Confirm = c.Number, false, false, ""
	r.ask([]Text{T("relay.prompt", "Number", c.Number)}, [][]Button{row(btn("relay.cancel", "y:done"))})
	return nil
}

// relay passes a petitioner's text or document to the staff of the case: to the assignee's
// private chat, or, while nobody handles the case, a notice in the staff group (without
// the content, which staff read with the case's details).
func (e *Engine) relay(ctx context.Context, r *replies, s *Session, in Input, number string) error {
	c, err := e.ownCase(ctx, in.ChatID, number)
	if err != nil || !Allowed(c.Status, ActReply, RolePetitioner) {
		s.Relay = ""
		if s.Awaiting == number {
			r.fx.Flags = append(r.fx.Flags, Flag{Chat: in.ChatID, Name: FlagAwaiting, IfValue: number})
			s.Awaiting = ""
		}
		if err = ignoreNotFound(err); err == nil {
			r.say(T("relay.closed", "Number", number))
		}
		return err
	}
	a := Act{Action: ActReply, Role: RolePetitioner, At: e.now(), Ref: in.UpdateID}
	switch in.Kind {
	case KindAttachment:
		if len(c.Docs) >= maxDocs*2 {
			r.say(T("doc.too_many", "Max", strconv.Itoa(maxDocs*2)))
			return nil
		}
		doc := in.Attachment
		doc.Name = parse.Clean(doc.Name)
		a.Doc = &doc
	default:
		text := parse.Clean(in.Text)
		switch n := utf8.RuneCountInString(text); {
		case n == 0:
			r.say(T("err.empty"))
			return nil
		case n > maxRelay:
			r.say(T("err.too_long", "Max", strconv.Itoa(maxRelay), "Got", strconv.Itoa(n)))
			return nil
		}
		a.Note = text
	}
	nc, err := e.act(r, c, a)
	if err != nil {
		r.say(T("relay.closed", "Number", c.Number))
		return nil
	}
	e.toStaffOfCase(r, nc, a)
	s.Relay = ""
	parts := []Text{T("relay.sent", "Number", c.Number)}
	var buttons [][]Button
	if s.Awaiting != "" {
		parts = append(parts, T("relay.more"))
		buttons = [][]Button{row(btn("relay.done", "y:done"))}
	}
	r.ask(parts, buttons)
	return nil
}

// toStaffOfCase delivers a petitioner's reply to whoever handles the case.
func (e *Engine) toStaffOfCase(r *replies, c Case, a Act) {
	lang := e.cfg.StaffLang
	if c.Assignee.ID == 0 {
		r.send(Delivery{To: ToStaff(), Msg: Message{Lang: lang, Parts: []Text{T("relay.unassigned", "Number", c.Number)},
			Buttons: [][]Button{row(staffButton("act.assign_me", codeOf(ActAssign), c), staffButton("act.details", viewDetails, c))}}})
		return
	}
	to := ToChat(c.Assignee.ID)
	if a.Doc != nil {
		doc := *a.Doc
		r.send(Delivery{To: to, File: &doc, Msg: Message{Lang: lang, Parts: []Text{T("relay.doc_to_staff", "Number", c.Number)}}})
		return
	}
	r.send(Delivery{To: to, Msg: Message{Lang: lang, Parts: []Text{T("relay.to_staff", "Number", c.Number, "Text", a.Note)},
		Buttons: [][]Button{row(staffButton("act.message", codeOf(ActMessage), c))}}})
}

// questionID names a handed-off question after the update that handed it off.
func questionID(update string) string {
	h := fnv.New64a()
	h.Write([]byte(update))
	return "Q-" + strings.ToUpper(strconv.FormatUint(h.Sum64()%(36*36*36*36*36*36), 36))
}

// handOff passes a petitioner's question to staff: the staff group gets a notice without
// its text (which may be personal) and a button that shows it in a private chat; staff
// answer with /reply Q-….
func (e *Engine) handOff(r *replies, in Input, text string) {
	text = cutRunes(text, maxQuestion)
	q := Question{ID: questionID(r.update), ChatID: in.ChatID, UserID: in.UserID, Lang: r.lang, Text: text, At: e.now()}
	r.fx.Questions = append(r.fx.Questions, q)
	r.send(Delivery{To: ToStaff(), Msg: Message{Lang: e.cfg.StaffLang, Parts: []Text{T("staff.question", "ID", q.ID).Ref("Lang", "lang."+langKey(q.Lang))},
		Buttons: [][]Button{row(Button{Label: T("staff.question_read"), Data: "q:" + q.ID})}}})
}

func langKey(lang string) string {
	if lang == LangEn {
		return "en"
	}
	return "zh"
}

// showQuestion shows a handed-off question to a staff user, always in their private chat.
func (e *Engine) showQuestion(ctx context.Context, r *replies, in Input, id string) error {
	to := ToChat(in.UserID)
	q, err := e.cases.Question(ctx, id)
	if err != nil {
		if err = ignoreNotFound(err); err == nil {
			r.send(Delivery{To: to, Msg: Message{Lang: r.lang, Parts: []Text{T("staff.no_question")}}})
		}
		return err
	}
	key := "staff.question_text"
	if !q.Answered.IsZero() {
		key = "staff.question_answered"
	}
	r.send(Delivery{To: to, Msg: Message{Lang: r.lang, Parts: []Text{T(key, "ID", q.ID, "Time", e.formatTime(q.At), "Question", q.Text)}}})
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
		Name: in.UserName, Action: AuditView, Detail: q.ID})
	return nil
}

// answerQuestionStaff answers /reply Q-… <text>: the petitioner receives the answer, in
// their language, without the staff member's name.
func (e *Engine) answerQuestionStaff(ctx context.Context, r *replies, in Input, id, text string) error {
	if text == "" || utf8.RuneCountInString(text) > maxRelay {
		r.say(T("staff.text_usage"))
		return nil
	}
	q, err := e.cases.Question(ctx, id)
	if err != nil {
		if err = ignoreNotFound(err); err == nil {
			r.say(T("staff.no_question"))
		}
		return err
	}
	q.Answered = e.now()
	r.fx.Questions = append(r.fx.Questions, q)
	r.send(Delivery{To: ToChat(q.ChatID), Msg: Message{Lang: q.Lang, Parts: []Text{T("relay.answer", "Question", q.Text, "Text", text)}}})
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
		Name: in.UserName, Action: string(ActMessage), Detail: q.ID})
	r.say(T("staff.answered", "ID", q.ID))
	return nil
}
