package dialogs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

func (e *Engine) welcome() Text {
	return T("welcome", "Name", e.cfg.Procuratorate.Name)
}

func (e *Engine) helpText() Text {
	p := e.cfg.Procuratorate
	return T("help", "Name", p.Name, "Address", p.Address, "Phone", p.Phone)
}

// start answers /start: the welcome, then the draft offer or the menu.
func (e *Engine) start(r *replies, s *Session) {
	s.Active = false
	if s.Draft != nil {
		r.say(e.welcome())
		e.offerDraft(r, s)
		return
	}
	r.ask([]Text{e.welcome(), T("menu.title")}, menuButtons())
}

func (e *Engine) menu(r *replies, parts ...Text) {
	r.ask(append(parts, T("menu.title")), menuButtons())
}

// offerDraft asks whether to continue the saved draft or start again.
func (e *Engine) offerDraft(r *replies, s *Session) {
	s.Active = false
	r.ask([]Text{T("draft.offer", "Started", e.formatTime(s.Draft.Started))},
		[][]Button{row(btn("draft.continue", "d:cont")), row(btn("draft.restart", "d:new"))})
}

// reprompt repeats the current step's question when the user is in the middle of one.
func (e *Engine) reprompt(r *replies, s *Session) {
	if s.Draft != nil && s.Active {
		e.prompt(r, s)
	}
}

func (e *Engine) askCancel(r *replies, s *Session) {
	if s.Draft == nil {
		e.menu(r, T("cancel.nothing"))
		return
	}
	s.Confirm = "cancel"
	e.confirmPrompt(r, s)
}

// confirmPrompt asks the pending yes/no question again.
func (e *Engine) confirmPrompt(r *replies, s *Session) {
	if no, ok := strings.CutPrefix(s.Confirm, "withdraw:"); ok {
		r.ask([]Text{T("confirm.withdraw", "Number", no)}, yesNoButtons("w:"+no))
		return
	}
	r.ask([]Text{T("confirm." + s.Confirm)}, yesNoButtons(s.Confirm))
}

// confirmed applies the answer to the pending yes/no question; arg is "yes:<what>" or
// "no:<what>", and a press for another question than the pending one is stale.
func (e *Engine) confirmed(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	answer, what, _ := strings.Cut(arg, ":")
	yes := answer == "yes"
	if no, ok := strings.CutPrefix(what, "w:"); ok {
		what = "withdraw:" + no
	}
	if what == "" || what != s.Confirm {
		return e.stale(r, s)
	}
	s.Confirm = ""
	if !yes {
		r.say(T("confirm.kept"))
		e.reprompt(r, s)
		return nil
	}
	switch {
	case what == "cancel":
		s.Draft, s.Active = nil, false
		e.menu(r, T("cancel.done"))
	case what == "privacy":
		return e.forget(ctx, r, s, in)
	case strings.HasPrefix(what, "withdraw:"):
		return e.withdraw(ctx, r, in, strings.TrimPrefix(what, "withdraw:"))
	}
	return nil
}

// ownCase returns the chat's case with that number, or ErrNotFound: another chat's case
// is not found either.
func (e *Engine) ownCase(ctx context.Context, chatID int64, number string) (Case, error) {
	c, err := e.cases.Get(ctx, number)
	if err == nil && c.ChatID != chatID {
		err = ErrNotFound
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("read case for chat %d: %w", chatID, err)
	}
	return c, err
}

// askWithdraw asks to confirm withdrawing a case, once it is known to be the chat's and
// open: a made-up number is "not found" at once.
func (e *Engine) askWithdraw(ctx context.Context, r *replies, s *Session, in Input, number string) error {
	c, err := e.ownCase(ctx, in.ChatID, number)
	switch {
	case errors.Is(err, ErrNotFound):
		r.say(T("withdraw.not_found"))
		return nil
	case err != nil:
		return err
	case c.Status == StatusWithdrawn:
		r.say(T("withdraw.already", "Number", c.Number))
		return nil
	}
	s.Confirm = "withdraw:" + c.Number
	e.confirmPrompt(r, s)
	return nil
}

// withdraw withdraws the chat's case, if the workflow still allows it, and tells staff.
func (e *Engine) withdraw(ctx context.Context, r *replies, in Input, number string) error {
	c, err := e.ownCase(ctx, in.ChatID, number)
	switch {
	case errors.Is(err, ErrNotFound):
		r.say(T("withdraw.not_found"))
		return nil
	case err != nil:
		return err
	case c.Status == StatusWithdrawn:
		r.say(T("withdraw.already", "Number", c.Number))
		return nil
	}
	if _, err := e.act(r, c, Act{Action: ActWithdraw, Role: RolePetitioner, At: e.now(), Ref: in.UpdateID}); err != nil {
		r.say(T("withdraw.not_possible", "Number", c.Number).Ref("Status", "status."+string(c.Status)))
		return nil
	}
	r.say(T("withdraw.done", "Number", c.Number))
	return nil
}

func (e *Engine) privacy(r *replies, s *Session) {
	r.ask(e.privacyTexts(),
		[][]Button{row(btn("privacy.delete", "p:delete"))})
}

func (e *Engine) ttlDays() string {
	days := int((e.cfg.DraftTTL + 24*time.Hour - 1) / (24 * time.Hour))
	return fmt.Sprint(days)
}

// status lists the chat's cases in plain words, each with a short timeline, a button to
// write to its staff and, while the rules allow it, one to withdraw it.
func (e *Engine) status(ctx context.Context, r *replies, s *Session, chatID int64) error {
	s.Active = false
	cases, err := e.cases.ByChat(ctx, chatID)
	if err != nil {
		return fmt.Errorf("list cases for chat %d: %w", chatID, err)
	}
	if len(cases) == 0 {
		if s.Draft != nil {
			r.say(T("status.none"))
			e.offerDraft(r, s)
			return nil
		}
		e.menu(r, T("status.none")) // never a dead end
		return nil
	}
	parts := []Text{T("status.title")}
	var buttons [][]Button
	for _, c := range cases {
		parts = append(parts, T("status.line", "Number", c.Number, "Date", e.formatTime(c.Submitted)).Ref("Status", "status."+string(c.Status)))
		parts = append(parts, e.timeline(c)...)
		var bs []Button
		if Allowed(c.Status, ActReply, RolePetitioner) {
			bs = append(bs, Button{Label: T("status.message", "Number", c.Number), Data: "y:" + c.Number})
		}
		if Allowed(c.Status, ActWithdraw, RolePetitioner) {
			bs = append(bs, Button{Label: T("status.withdraw", "Number", c.Number), Data: "w:" + c.Number})
		}
		if len(bs) > 0 {
			buttons = append(buttons, bs)
		}
	}
	parts = append(parts, T("status.more"))
	r.ask(parts, buttons)
	return nil
}

// formatTime shows a time in the configured zone.
func (e *Engine) formatTime(t time.Time) string {
	return t.In(e.cfg.Location).Format("2006-01-02 15:04")
}

// timelineMax is how many of a case's latest steps /status shows.
const timelineMax = 4

// timeline is a case's latest steps that concern the petitioner, in plain words, oldest
// first: never notes, assignments or staff names.
func (e *Engine) timeline(c Case) []Text {
	var out []Text
	for _, ev := range c.History {
		switch ev.Action {
		case ActNote, ActAssign, ActRectify, ActAdopted, ActReply:
			continue
		}
		out = append(out, T("timeline.line", "Date", ev.Time.In(e.cfg.Location).Format("2006-01-02")).Ref("Step", "timeline."+string(ev.Action)).Line())
	}
	return out[max(0, len(out)-timelineMax):]
}
