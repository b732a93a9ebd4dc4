package dialogs

import (
	"context"
	"strings"
)

// button handles a pressed inline button. Callback data is "<kind>:<argument>"; a press
// that no longer fits the conversation (an old message's button) gets a short notice and
// the current question again.
func (e *Engine) button(ctx context.Context, r *replies, s *Session, in Input) error {
	kind, arg, _ := strings.Cut(in.Data, ":")
	if kind != "c" {
		s.Confirm = ""
	}
	if kind != "k" {
		s.Asking = false
	}
	if kind != "y" {
		s.Relay = ""
	}
	if kind != "o" && kind != "k" {
		s.Story = nil
	}
	switch kind {
	case "m":
		return e.menuChoice(ctx, r, s, in, arg)
	case "d":
		e.draftChoice(r, s, arg)
	case "f", "n", "e", "r":
		return e.flowButton(ctx, r, s, in, kind, arg)
	case "c":
		return e.confirmed(ctx, r, s, in, arg)
	case "w":
		return e.askWithdraw(ctx, r, s, in, arg)
	case "l":
		if arg != LangZh && arg != LangEn {
			r.say(T("stale"))
			return nil
		}
		s.Lang, r.lang = arg, arg
		r.say(T("lang.set"))
		e.reprompt(r, s)
	case "p":
		e.askForget(r, s)
	case "k":
		return e.kbButton(ctx, r, s, in, arg)
	case "y":
		return e.chooseRelay(ctx, r, s, in, arg)
	case "o":
		return e.storyAnswer(ctx, r, s, arg)
	default:
		r.say(T("stale"))
		e.reprompt(r, s)
	}
	return nil
}

func (e *Engine) menuChoice(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	switch arg {
	case "apply":
		if s.Draft != nil {
			e.offerDraft(r, s)
			return nil
		}
		e.startDraft(r, s)
	case "ask":
		s.Asking = true
		r.say(e.askPrompt()...)
	case "cases":
		return e.status(ctx, r, s, in.ChatID)
	case "lang":
		r.ask([]Text{T("lang.choose")}, langButtons())
	case "privacy":
		e.privacy(r, s)
	default:
		e.menu(r)
	}
	return nil
}

func (e *Engine) draftChoice(r *replies, s *Session, arg string) {
	switch {
	case s.Draft == nil:
		e.menu(r, T("draft.none"))
	case s.Active: // an old offer: the application already went on
		r.say(T("stale"))
		e.prompt(r, s)
	case arg == "cont":
		s.Active = true
		e.prompt(r, s)
	case arg == "new":
		e.startDraft(r, s)
	default:
		r.say(T("stale"))
	}
}

// flowButton handles the buttons that belong to a step: a choice ("f:field:value"),
// navigation ("n:back|skip|done:field"), review ("r:submit|cancel") and edit
// ("e:field"). Each names the step it belongs to, so an old button cannot answer a
// different question.
func (e *Engine) flowButton(ctx context.Context, r *replies, s *Session, in Input, kind, arg string) error {
	d := s.Draft
	if d == nil {
		e.menu(r, T("draft.none"))
		return nil
	}
	if !s.Active {
		e.offerDraft(r, s)
		return nil
	}
	switch kind {
	case "f":
		id, v, _ := strings.Cut(arg, ":")
		f, _, ok := fieldByID(id)
		if !ok || d.Field != id || !f.hasChoice(v) {
			return e.stale(r, s)
		}
		e.answer(r, s, f, v)
	case "n":
		action, id, _ := strings.Cut(arg, ":")
		if d.Field != id {
			return e.stale(r, s)
		}
		e.navigate(r, s, action)
	case "e":
		f, _, ok := fieldByID(arg)
		if !ok || d.Field != "review" || !f.appliesTo(d) {
			return e.stale(r, s)
		}
		e.edit(r, s, f)
	case "r":
		if d.Field != "review" {
			return e.stale(r, s)
		}
		if arg == "cancel" {
			e.askCancel(r, s)
			return nil
		}
		return e.submit(ctx, r, s, in)
	}
	return nil
}

func (e *Engine) stale(r *replies, s *Session) error {
	r.say(T("stale"))
	e.reprompt(r, s)
	return nil
}
