package dialogs

import (
	"context"
	"slices"
	"strings"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// A story ("the town demolished my house, I sued and lost twice, what now?") gets the route
// for that situation in a few sentences with its legal basis, the entries that explain it,
// a button to apply when supervision is the route, and a typical case as an example after
// the answer. When the story leaves the route open, one or two short questions with
// buttons decide it (Session.Story keeps what was told meanwhile).

// typicalCases are the typical cases shown as examples, by the dispute a story names.
var typicalCases = map[string]string{
	"demolition":        "cases.typical.demolition-withdrawal",
	"land_compensation": "cases.typical.land-compensation",
	"compensation":      "cases.typical.land-compensation",
	"expropriation":     "cases.typical.expropriation-settlement",
}

// story answers a story: the route, or the next question that decides it. A story that
// also asks something the knowledge base answers with confidence ("…is it still in
// time?") gets that answer under the route.
func (e *Engine) story(ctx context.Context, r *replies, s *Session, sit intent.Situation, text string) {
	if sit.Route != intent.RouteUnknown || len(sit.Questions) == 0 {
		e.route(ctx, r, s, sit, text)
		return
	}
	s.Story = &sit
	q := sit.Questions[0]
	parts := []Text{T("story.heard"), T("story.q." + q.ID)}
	var buttons [][]Button
	for _, c := range q.Choices {
		buttons = append(buttons, row(btn("story.c."+q.ID+"."+c, "o:"+q.ID+":"+c)))
	}
	if q.ID == intent.QuestionRetrial && slices.Contains(q.Choices, intent.ChoiceRejected) {
		// Rejected (or not answered in time): the application can start at once.
		buttons = append(buttons, row(btn("story.apply", "m:apply")))
	}
	r.ask(parts, buttons)
}

// route explains the route of a situation.
func (e *Engine) route(ctx context.Context, r *replies, s *Session, sit intent.Situation, text string) {
	s.Story = nil
	route := sit.Route
	if route == intent.RouteUnknown {
		route = intent.RouteSupervisionNow // no question left: explain the usual route
	}
	parts := []Text{T("story.route."+string(route), "Phone", e.cfg.Procuratorate.Phone)}
	var buttons [][]Button
	if route == intent.RouteSupervisionNow {
		buttons = append(buttons, row(btn("story.apply", "m:apply")))
	}
	if e.kb != nil {
		answered := ""
		if text != "" {
			res := e.kb.Index.Search(r.lang, text)
			if res.Answered && !strings.HasPrefix(res.Matches[0].ID, "cases.typical.") {
				en, _ := e.kb.Index.Entry(res.Matches[0].ID)
				answered = en.ID
				parts = append(parts, e.entryAnswer(ctx, r.lang, text, en, res)...)
				buttons = append(buttons, e.feedback(r, s, en.ID)...)
				e.record(r, "a", KBEvent{Kind: EventAsked, EntryID: en.ID})
			}
		}
		for _, id := range route.Entries() {
			if en, ok := e.kb.Index.Entry(id); ok && id != answered {
				buttons = append(buttons, row(Button{Label: T("kb.topic", "Title", en.In(r.lang).Title), Data: "k:e:" + id}))
			}
		}
		if id, ok := typicalCases[sit.Dispute]; ok {
			if en, ok := e.kb.Index.Entry(id); ok {
				parts = append(parts, T("story.example"))
				buttons = append(buttons, row(Button{Label: T("kb.topic", "Title", en.In(r.lang).Title), Data: "k:e:" + id}))
			}
		}
	}
	r.ask(parts, buttons)
}

// storyAnswer takes the answer to a story's question ("o:<question>:<choice>").
func (e *Engine) storyAnswer(ctx context.Context, r *replies, s *Session, arg string) error {
	q, choice, _ := strings.Cut(arg, ":")
	if s.Story == nil {
		return e.stale(r, s)
	}
	sit, ok := s.Story.Answer(q, choice)
	if !ok {
		return e.stale(r, s)
	}
	e.story(ctx, r, s, sit, "")
	return nil
}
