package dialogs

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// Staff work in the staff group (cards, buttons, commands) and in their private chat with
// the bot (details, forms, searches). Only users in Config.StaffUserIDs may: a press is
// authorised by who pressed, never by what its data says; its data carries the case
// version, so a press on an outdated card is refused.

// staffCommands are the commands staff may use, with whether they need a private chat
// (they show personal data or ask for free text).
var staffCommands = map[string]bool{
	"/help": false, "/queue": false, "/mine": false, "/case": false, "/assign": false, "/note": false,
	"/reply": false, "/stats": false, "/export": false, "/audit": false, "/kbstats": false,
	"/find": true, "/register": true, "/cancel": true,
}

// StaffCommandNames lists the staff commands, for the transport's command menu.
func StaffCommandNames() []string {
	return []string{"queue", "mine", "case", "find", "assign", "note", "reply", "register", "stats", "export", "audit", "kbstats", "help"}
}

// PetitionerCommandNames lists the petitioners' commands, for the transport's command menu.
func PetitionerCommandNames() []string {
	return []string{"start", "status", "ask", "cancel", "lang", "privacy", "forget", "help"}
}

func (e *Engine) isStaff(userID int64) bool {
	for _, id := range e.cfg.StaffUserIDs {
		if id == userID && id != 0 {
			return true
		}
	}
	return false
}

// staffPrivate reports whether the input is a staff user writing in their private chat.
func (e *Engine) staffPrivate(in Input) bool {
	return !in.StaffChat && in.ChatID == in.UserID && e.isStaff(in.UserID)
}

// staffChat handles an input in the staff group: staff commands and card buttons from
// staff users; a refusal for anyone else; other talk there is not for the bot.
func (e *Engine) staffChat(ctx context.Context, r *replies, s *Session, in Input) error {
	r.to = ToStaff()
	if !e.isStaff(in.UserID) {
		switch {
		case in.Kind == KindButton:
			r.fx.Toast, r.fx.Refused = ptr(T("staff.refused")), true
		case in.Kind == KindText && strings.HasPrefix(strings.TrimSpace(in.Text), "/"):
			r.say(T("staff.refused"))
			r.fx.Refused = true
		}
		return nil
	}
	return e.staffInput(ctx, r, s, in)
}

// staffInput handles a staff user's input, in the group or their private chat.
func (e *Engine) staffInput(ctx context.Context, r *replies, s *Session, in Input) error {
	if !in.StaffChat {
		if _, err := e.resumeForm(ctx, r, s, in); err != nil {
			return err
		}
	}
	switch in.Kind {
	case KindButton:
		return e.staffButton(ctx, r, s, in)
	case KindText:
		text := strings.TrimSpace(in.Text)
		if strings.HasPrefix(text, "/") {
			return e.staffCommand(ctx, r, s, in, text)
		}
		if in.StaffChat {
			return nil
		}
		if s.Form != nil {
			return e.formAnswer(ctx, r, s, in, text, false)
		}
		r.say(T("staff.hint"))
	case KindAttachment, KindUnsupported:
		if !in.StaffChat {
			r.say(T("staff.hint"))
		}
	}
	return nil
}

// staffCommand runs a staff command.
func (e *Engine) staffCommand(ctx context.Context, r *replies, s *Session, in Input, text string) error {
	name, arg, _ := strings.Cut(text, " ")
	name, _, _ = strings.Cut(strings.ToLower(name), "@")
	arg = strings.TrimSpace(arg)
	private, known := staffCommands[name]
	switch {
	case !known:
		r.say(T("staff.unknown_command"))
		return nil
	case private && in.StaffChat:
		r.say(T("staff.private_only"))
		return nil
	}
	if name != "/cancel" && name != "/register" {
		s.Form = nil
	}
	switch name {
	case "/help":
		r.say(T("staff.help"))
	case "/cancel":
		s.Form = nil
		r.say(T("form.cancelled"))
	case "/queue":
		return e.queue(ctx, r, in, false)
	case "/mine":
		return e.queue(ctx, r, in, true)
	case "/case":
		return e.showCase(ctx, r, in, arg)
	case "/find":
		return e.find(ctx, r, in, arg)
	case "/assign":
		return e.assignCmd(ctx, r, in, arg)
	case "/note", "/reply":
		return e.noteOrReply(ctx, r, in, name, arg)
	case "/register":
		s.Form = &StaffForm{Action: ActSubmit, Values: map[string]string{}}
		r.msgs = append(r.msgs, e.formPrompt(s.Form, Case{}, r.lang))
	case "/stats":
		return e.stats(ctx, r)
	case "/export":
		return e.export(ctx, r, in, arg)
	case "/audit":
		return e.audit(ctx, r, in, arg)
	case "/kbstats":
		return e.kbStats(ctx, r, in.UserID)
	}
	return nil
}

// staffButton handles a staff user's press: "s:<code>:<number>:<version>" on a card, or
// "g:…" answering a form in the private chat.
func (e *Engine) staffButton(ctx context.Context, r *replies, s *Session, in Input) error {
	kind, arg, _ := strings.Cut(in.Data, ":")
	switch {
	case kind == "g" && s.Form != nil && !in.StaffChat:
		return e.formAnswer(ctx, r, s, in, arg, true)
	case kind == "q":
		if in.StaffChat {
			r.fx.Toast = ptr(T("staff.continue_private"))
		}
		return e.showQuestion(ctx, r, in, arg)
	case kind != "s":
		r.fx.Toast = ptr(T("stale"))
		return nil
	}
	code, rest, _ := strings.Cut(arg, ":")
	number, ver, _ := strings.Cut(rest, ":")
	version, err := strconv.ParseInt(ver, 10, 64)
	if err != nil || len(number) > 30 {
		r.fx.Toast = ptr(T("stale"))
		return nil
	}
	c, err := e.cases.Get(ctx, number)
	if errors.Is(err, ErrNotFound) {
		r.fx.Toast = ptr(T("staff.no_case"))
		return nil
	}
	if err != nil {
		return err
	}
	if code == viewDetails || code == viewCard {
		return e.view(r, in, c, code)
	}
	a, ok := actionCodes[code]
	switch {
	case !ok:
		r.fx.Toast = ptr(T("stale"))
		return nil
	case !c.currentAt(version):
		// The card was out of date (or the data forged): show what happened instead.
		r.fx.Toast = ptr(T("staff.stale_card").Ref("Status", "status."+string(c.Status)))
		r.send(e.cardDelivery(c))
		return nil
	case !Allowed(c.Status, a, RoleStaff):
		r.fx.Toast = ptr(T("staff.not_now_toast").Ref("Status", "status."+string(c.Status)))
		return nil
	case a == ActAssign:
		act := e.staffAct(in, ActAssign)
		act.Assignee = Staffer{ID: in.UserID, Name: in.UserName}
		return e.staffApply(r, c, act)
	case a == ActMessage && c.ChatID == 0:
		r.fx.Toast = ptr(T("staff.no_chat", "Number", c.Number))
		return nil
	case needsForm(a):
		e.startForm(r, s, in, a, c)
		return nil
	}
	return e.staffApply(r, c, e.staffAct(in, a))
}

// view shows a case privately: its card, or its personal details (audited), with the
// documents re-sent by file id.
func (e *Engine) view(r *replies, in Input, c Case, code string) error {
	to := ToChat(in.UserID)
	if in.StaffChat {
		r.fx.Toast = ptr(T("staff.continue_private"))
	}
	if code == viewCard {
		m := Card(c, r.lang, e.cfg.Location, e.now())
		r.send(Delivery{To: to, Msg: m})
		return nil
	}
	r.send(Delivery{To: to, Msg: e.details(c, r.lang)})
	for i, d := range c.Docs {
		doc := d
		r.send(Delivery{To: to, File: &doc, Msg: Message{Lang: r.lang, Parts: []Text{T("staff.doc_caption", "Number", c.Number, "N", strconv.Itoa(i+1))}}})
	}
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: "staff:" + strconv.FormatInt(in.UserID, 10),
		Name: in.UserName, Action: AuditView, Case: c.Number})
	return nil
}

// ignoreNotFound turns ErrNotFound into a zero result: the caller explains it.
func ignoreNotFound(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
