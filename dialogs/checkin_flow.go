package dialogs

import (
	"context"
	"strconv"
	"strings"
)

// The check-in conversation: the question with four buttons ("v:<case>:<n>:<answer>"),
// then an optional comment (text or a photo) that goes to the case's staff. "Partly" and
// "not at all" alert the case's staff at once with the card, as do no answer after the
// reminder and a petitioner who blocked the bot; "please stop" ends the check-ins of the
// case.

// checkinAnswers maps the answer codes of the buttons to results.
var checkinAnswers = map[string]CheckinResult{"f": CheckinFully, "p": CheckinPartly, "n": CheckinNotAtAll, "s": CheckinStopped}

// checkinMessage asks the petitioner about check-in n of c (or reminds them).
func (e *Engine) checkinMessage(c Case, n int, reminder bool) Message {
	key := "checkin.ask"
	if reminder {
		key = "checkin.remind"
	}
	parts := []Text{T(key, "Number", c.Number)}
	if a := agreed(c); a != "" {
		parts = append(parts, T("checkin.agreed", "Agreed", a))
	}
	parts = append(parts, T("checkin.question"))
	data := "v:" + c.Number + ":" + strconv.Itoa(n) + ":"
	return Message{Lang: c.Lang, Parts: parts, Buttons: [][]Button{
		row(btn("checkin.fully", data+"f")),
		row(btn("checkin.partly", data+"p"), btn("checkin.not_at_all", data+"n")),
		row(btn("checkin.stop", data+"s")),
	}}
}

// checkinButton answers a press on a check-in ("<case>:<n>:<answer>", or "…:done" to
// decline the comment).
func (e *Engine) checkinButton(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	parts := strings.Split(arg, ":")
	n, err := strconv.Atoi(parts[min(1, len(parts)-1)])
	if len(parts) != 3 || err != nil {
		return e.stale(r, s)
	}
	number, code := parts[0], parts[2]
	if code == "done" {
		s.Checkin = ""
		r.say(T("checkin.no_comment_ok"))
		return nil
	}
	res, ok := checkinAnswers[code]
	if !ok {
		return e.stale(r, s)
	}
	c, err := e.ownCase(ctx, in.ChatID, number)
	if err != nil {
		if err = ignoreNotFound(err); err == nil {
			r.say(T("stale"))
		}
		return err
	}
	a := Act{Action: ActCheckin, Role: RolePetitioner, At: e.now(), Ref: in.UpdateID, Checkin: &CheckinStep{N: n, Result: res}}
	nc, err := e.recordStep(r, c, a)
	switch {
	case err != nil && c.Status != StatusClosed:
		r.say(T("checkin.reopened", "Number", c.Number))
		return nil
	case err != nil:
		r.say(T("checkin.already", "Number", c.Number))
		return nil
	}
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: a.At, Actor: string(RolePetitioner), Action: string(ActCheckin),
		Case: nc.Number, Detail: checkinNote(*a.Checkin)})
	if res == CheckinStopped {
		s.Checkin = ""
		r.say(T("checkin.stopped", "Number", nc.Number, "Phone", e.cfg.Procuratorate.Phone))
		return nil
	}
	thanks := "checkin.thanks_fully"
	if res != CheckinFully {
		thanks = "checkin.thanks_problem"
		e.alertCheckin(r, nc, n, res)
	}
	s.Checkin = nc.Number + ":" + strconv.Itoa(n)
	r.ask([]Text{T(thanks), T("checkin.comment_prompt")}, [][]Button{row(btn("checkin.no_comment", "v:"+nc.Number+":"+strconv.Itoa(n)+":done"))})
	return nil
}

// checkinComment passes the petitioner's comment on a check-in (text or a photo) to the
// case's staff, as any message about the case is.
func (e *Engine) checkinComment(ctx context.Context, r *replies, s *Session, in Input) error {
	number, _, _ := strings.Cut(s.Checkin, ":")
	s.Checkin = ""
	if err := e.relay(ctx, r, s, in, number); err != nil {
		return err
	}
	// relay thanked them as for any message; say it in the words of the check-in.
	if n := len(r.msgs); n > 0 && len(r.msgs[n-1].Parts) > 0 && r.msgs[n-1].Parts[0].Key == "relay.sent" {
		r.msgs[n-1] = Message{Lang: r.lang, Parts: []Text{T("checkin.comment_sent", "Number", number)}}
	}
	return nil
}

// undeliverable records that Telegram refused a check-in for good (the petitioner
// blocked the bot): unreachable, with no reminder.
func (e *Engine) undeliverable(ctx context.Context, r *replies, in Input) error {
	kind, rest, _ := strings.Cut(in.Data, ":")
	number, ns, _ := strings.Cut(rest, ":")
	n, err := strconv.Atoi(ns)
	if kind != "ci" || err != nil {
		return nil
	}
	c, err := e.cases.Get(ctx, number)
	if err != nil {
		return ignoreNotFound(err)
	}
	a := Act{Action: ActCheckin, Role: RoleSystem, At: e.now(), Ref: in.UpdateID, Checkin: &CheckinStep{N: n, Result: CheckinUnreachable}}
	nc, err := e.recordStep(r, c, a)
	if err == nil {
		e.alertCheckin(r, nc, n, CheckinUnreachable)
	}
	return ignoreRefusal(err)
}

// alertCheckin tells whoever handles case c what became of its check-in n when it needs
// them: answered "partly" or "not at all", unanswered after the reminder, or the
// petitioner unreachable. The card comes with it, and its buttons (reopen the case,
// record a visit in person).
func (e *Engine) alertCheckin(r *replies, c Case, n int, res CheckinResult) {
	key := "checkin.alert"
	switch res {
	case CheckinNoResponse:
		key = "checkin.alert_silent"
	case CheckinUnreachable:
		key = "checkin.alert_unreachable"
	}
	msg := Card(c, e.cfg.StaffLang, e.cfg.Location, e.now())
	msg.Parts = append([]Text{T(key, "Number", c.Number, "N", strconv.Itoa(n)).Ref("Answer", "checkin.result."+string(res))}, msg.Parts...)
	msg.Buttons = cardButtons(c)
	r.send(Delivery{To: e.staffOf(c), Msg: msg})
}
