package dialogs

import (
	"context"
	"fmt"
)

// Answerer answers legal questions from the knowledge base. Answer returns the message
// parts and buttons to show; answered is false when the base had no confident answer.
type Answerer interface {
	Answer(ctx context.Context, chatID int64, lang, question string) (parts []Text, buttons [][]Button, err error)
}

// ask handles /ask: with a question it answers at once, without one the next text is
// taken as the question. The current step's question follows the answer.
func (e *Engine) ask(ctx context.Context, r *replies, s *Session, question string) error {
	if question == "" {
		s.Asking = true
		r.say(T("kb.ask_prompt"))
		return nil
	}
	return e.answerQuestion(ctx, r, s, question)
}

// answerQuestion answers a question, then repeats the current step's prompt.
func (e *Engine) answerQuestion(ctx context.Context, r *replies, s *Session, q string) error {
	if e.kb == nil {
		r.say(T("kb.coming_soon"))
		e.reprompt(r, s)
		return nil
	}
	parts, buttons, err := e.kb.Answer(ctx, r.chat, r.lang, q)
	if err != nil {
		return fmt.Errorf("answer question: %w", err)
	}
	r.ask(parts, buttons)
	e.reprompt(r, s)
	return nil
}

// freeText handles text outside any step, with no draft: a question once the knowledge
// base is there, otherwise the menu.
func (e *Engine) freeText(ctx context.Context, r *replies, s *Session, text string) error {
	if e.kb == nil {
		e.menu(r, T("menu.hint"))
		return nil
	}
	return e.answerQuestion(ctx, r, s, text)
}

// kbButton handles the knowledge base's buttons (related topics, feedback, hand-off).
func (e *Engine) kbButton(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	r.say(T("stale"))
	e.reprompt(r, s)
	return nil
}
