package dialogs

import (
	"context"
	"strings"

	"github.com/petitionbot/petitionbot/dialogs/intent"
	"github.com/petitionbot/petitionbot/knowledge"
)

// The front door reads what a petitioner types outside any step — often their first words
// — and answers as a person at the procuratorate's front desk would: a greeting with the
// menu, "I want to apply" with the application, "my case" with its status, "a person" with
// a hand-off, a story with the route for that situation, a legal question from the
// knowledge base. An intent is acted on only when it is clear; when two readings are
// plausible, the petitioner chooses with buttons.

// handOffsPerDay bounds how many requests a chat may pass to staff in a day.
const handOffsPerDay = 3

// frontDoor handles free text outside any step.
func (e *Engine) frontDoor(ctx context.Context, r *replies, s *Session, in Input, text string) error {
	rd := intent.Classify(text)
	if rd.Kind == intent.Question || rd.Kind == intent.None {
		return e.question(ctx, r, s, text)
	}
	if rd.Written == intent.LangEn && s.Lang == "" {
		r.lang = LangEn // written in English: answered in English, whatever the client says
	}
	s.Story = nil
	switch rd.Kind {
	case intent.SmallTalk:
		e.smallTalk(r, s, rd.Talk)
	case intent.Apply:
		if s.Draft != nil {
			e.offerDraft(r, s)
			return nil
		}
		e.startDraft(r, s)
	case intent.Status:
		return e.status(ctx, r, s, in.ChatID)
	case intent.Withdraw:
		r.say(T("frontdoor.withdraw"))
		return e.status(ctx, r, s, in.ChatID)
	case intent.Human:
		e.requestPerson(r, s, in, text)
	case intent.Privacy:
		e.privacy(r, s)
	case intent.Language:
		if rd.Lang == LangZh || rd.Lang == LangEn {
			s.Lang, r.lang = rd.Lang, rd.Lang
			r.say(T("lang.set"))
			e.reprompt(r, s)
			return nil
		}
		r.ask([]Text{T("lang.choose")}, langButtons())
	case intent.Story:
		e.story(ctx, r, s, *rd.Story, text)
	case intent.Ambiguous:
		e.clarify(r, s, rd.Alternatives, text)
	}
	return nil
}

// question answers a legal question from the knowledge base (a question written in
// English in English), then offers the saved draft if there is one.
func (e *Engine) question(ctx context.Context, r *replies, s *Session, text string) error {
	if e.kb == nil {
		e.menu(r, T("menu.hint"))
		return nil
	}
	if lang, ok := knowledge.QuestionLang(text); ok && len(r.msgs) == 0 {
		r.lang = lang
	}
	if err := e.answerKB(ctx, r, s, text); err != nil {
		return err
	}
	if s.Draft != nil {
		e.offerDraft(r, s)
	}
	return nil
}

// smallTalk answers a greeting, thanks, goodbye or "who are you" kindly, with the menu or
// the saved draft.
func (e *Engine) smallTalk(r *replies, s *Session, talk intent.Talk) {
	t := T("talk."+string(talk), "Name", e.cfg.Procuratorate.Name)
	if s.Draft != nil {
		r.say(t)
		e.offerDraft(r, s)
		return
	}
	e.menu(r, t)
}

// requestPerson passes the petitioner's wish to talk to a person to staff (the group sees
// no text), tells them plainly what happens next and how to call, and offers the menu.
func (e *Engine) requestPerson(r *replies, s *Session, in Input, text string) {
	p := e.cfg.Procuratorate
	if !e.mayHandOff(s) {
		e.menu(r, T("frontdoor.handoff_limit", "Phone", p.Phone))
		return
	}
	e.handOff(r, in, text)
	e.menu(r, T("frontdoor.handoff", "Phone", p.Phone, "Name", p.Name))
}

// mayHandOff counts a hand-off against the chat's daily limit; false once it is reached.
func (e *Engine) mayHandOff(s *Session) bool {
	day := e.today().Format("2006-01-02")
	if s.HandOffDay != day {
		s.HandOffDay, s.HandOffs = day, 0
	}
	if s.HandOffs >= handOffsPerDay {
		return false
	}
	s.HandOffs++
	return true
}

// clarify asks which of two or more plausible readings was meant, with a button for each.
func (e *Engine) clarify(r *replies, s *Session, alts []intent.Kind, text string) {
	s.Question = strings.TrimSpace(text)
	var buttons [][]Button
	for _, k := range alts {
		switch k {
		case intent.Apply:
			buttons = append(buttons, row(btn("frontdoor.alt.apply", "m:apply")))
		case intent.Status, intent.Withdraw:
			buttons = append(buttons, row(btn("frontdoor.alt."+string(k), "m:cases")))
		case intent.Human:
			buttons = append(buttons, row(btn("frontdoor.alt.human", "k:staff:"+questionKey(s.Question))))
		case intent.Privacy:
			buttons = append(buttons, row(btn("frontdoor.alt.privacy", "m:privacy")))
		case intent.Language:
			buttons = append(buttons, row(btn("frontdoor.alt.language", "m:lang")))
		case intent.Question:
			buttons = append(buttons, row(btn("frontdoor.alt.question", "k:q:"+questionKey(s.Question))))
		}
	}
	r.ask([]Text{T("frontdoor.clarify")}, buttons)
}
