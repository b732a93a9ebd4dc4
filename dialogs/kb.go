package dialogs

import (
	"context"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/knowledge"
)

// Retriever finds knowledge-base entries for a question (knowledge.Index).
type Retriever interface {
	// Search ranks the entries for a question; Matches are best first, Answered says
	// whether the first is confident enough to be given as the answer.
	Search(lang, question string) knowledge.Result
	// Entry returns an entry by id, or false.
	Entry(id string) (knowledge.Entry, bool)
}

// Composer phrases an answer from retrieved entries with a language model. It returns the
// ids it cited; an answer citing none, or an error, is not used.
type Composer interface {
	Answer(ctx context.Context, lang, question string, retrieved []knowledge.Entry) (string, []string, error)
}

// KB event kinds recorded for /kbstats.
const (
	EventAsked      = "asked"      // an entry was given as the answer
	EventHelpful    = "helpful"    // rated helpful
	EventUnhelpful  = "unhelpful"  // rated not helpful
	EventUnanswered = "unanswered" // no confident answer
)

// KBEvent is one thing to count for /kbstats.
type KBEvent struct {
	Kind     string    `json:"kind"`
	EntryID  string    `json:"entry,omitempty"`
	Lang     string    `json:"lang"`
	Question string    `json:"q,omitempty"` // only for unanswered questions
	At       time.Time `json:"at"`
}

// Question is a petitioner's question passed to staff, who answer it with /reply <ID>.
type Question struct {
	ID       string    `json:"id"`
	ChatID   int64     `json:"chat"`
	UserID   int64     `json:"user"`
	Lang     string    `json:"lang"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
	Answered time.Time `json:"answered,omitzero"`
}

// KBStats is what /kbstats shows.
type KBStats struct {
	Asked      []Count   // most given entries, most first
	Unhelpful  []Count   // most "not helpful" ratings, most first
	Unanswered []KBEvent // latest questions without an answer, newest first
}

// Count is an entry id and how often something happened to it.
type Count struct {
	ID string
	N  int64
}

// KBLog reads the knowledge-base statistics. The events are recorded through Effects.KB,
// committed with the update that caused them.
type KBLog interface {
	// KBStats returns what /kbstats shows.
	KBStats(ctx context.Context) (KBStats, error)
}

// Knowledge is the knowledge base as the engine uses it. Composer is optional.
type Knowledge struct {
	Index    Retriever
	Composer Composer
	Log      KBLog
}

// maxQuestion bounds a stored question.
const maxQuestion = 500

// ask handles /ask: with a question it answers at once, without one the next text is
// taken as the question. The current step's question follows the answer.
func (e *Engine) ask(ctx context.Context, r *replies, s *Session, question string) error {
	if question == "" {
		s.Asking = true
		r.say(e.askPrompt()...)
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
	if err := e.answerKB(ctx, r, s, q); err != nil {
		return err
	}
	e.reprompt(r, s)
	return nil
}

// Reply is the bot's answer to a question, for the "ask" command.
type Reply struct {
	Result  knowledge.Result
	Message Message
}

// Ask answers a question outside any chat, exactly as the bot would, recording nothing.
func (e *Engine) Ask(ctx context.Context, lang, question string) (Reply, error) {
	r := &replies{lang: lang}
	res := e.respond(ctx, r, &Session{}, question)
	if len(r.msgs) == 0 {
		return Reply{Result: res}, nil
	}
	return Reply{Result: res, Message: r.msgs[0]}, nil
}

func (e *Engine) answerKB(ctx context.Context, r *replies, s *Session, q string) error {
	e.respond(ctx, r, s, q)
	return nil
}

// respond searches the base and adds the reply: an entry's answer with its basis and the
// feedback buttons; or, when not sure, related topics and a hand-off to staff; or, out
// of scope, what this assistant covers.
func (e *Engine) respond(ctx context.Context, r *replies, s *Session, q string) knowledge.Result {
	q = strings.TrimSpace(q)
	if len([]rune(q)) > maxQuestion {
		q = string([]rune(q)[:maxQuestion])
	}
	res := e.kb.Index.Search(r.lang, q)
	switch {
	case res.Answered:
		entry, _ := e.kb.Index.Entry(res.Matches[0].ID)
		r.ask(e.entryAnswer(ctx, r.lang, q, entry, res), e.feedback(r, s, entry.ID))
		e.record(r, "a", KBEvent{Kind: EventAsked, EntryID: entry.ID})
		return res
	case res.OutOfScope:
		r.say(T("kb.out_of_scope"))
	default:
		var buttons [][]Button
		for _, m := range res.Matches[:min(3, len(res.Matches))] {
			if en, ok := e.kb.Index.Entry(m.ID); ok {
				buttons = append(buttons, row(Button{Label: T("kb.topic", "Title", en.In(r.lang).Title), Data: "k:e:" + en.ID}))
			}
		}
		buttons = append(buttons, row(btn("kb.handoff", "k:staff:"+questionKey(q))))
		s.Question = q
		r.ask([]Text{T("kb.not_sure")}, buttons)
	}
	e.record(r, "u", KBEvent{Kind: EventUnanswered, Question: maskNumbers(q)})
	return res
}

// questionKey is a short fingerprint of a question, so that a hand-off button passes on
// the question it was offered for and no other.
func questionKey(q string) string {
	h := fnv.New32a()
	h.Write([]byte(q))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// longNumber is a run of digits long enough to be a phone or ID number.
var longNumber = regexp.MustCompile(`[0-9０-９]{6,}[0-9０-９xX]*`)

// maskNumbers hides phone and ID numbers in a question kept for /kbstats: text typed as a
// question may be an answer meant for the application.
func maskNumbers(q string) string { return longNumber.ReplaceAllString(q, "***") }

// entryAnswer is an entry's answer, phrased by the language model when one is configured
// and it cites the retrieved entries; otherwise the entry's own text.
func (e *Engine) entryAnswer(ctx context.Context, lang, q string, entry knowledge.Entry, res knowledge.Result) []Text {
	t := entry.In(lang)
	answer := t.Answer
	basis := []Text{T("kb.basis", "Basis", t.Basis, "ID", entry.ID, "Reviewed", entry.Reviewed)}
	if e.kb.Composer != nil && q != "" {
		var retrieved []knowledge.Entry
		for _, m := range res.Matches[:min(3, len(res.Matches))] {
			if en, ok := e.kb.Index.Entry(m.ID); ok {
				retrieved = append(retrieved, en)
			}
		}
		if text, cited, err := e.kb.Composer.Answer(ctx, lang, q, retrieved); err == nil && len(cited) > 0 {
			answer, basis = text, nil
			for _, id := range cited { // the basis of what the model actually used
				if en, ok := e.kb.Index.Entry(id); ok {
					basis = append(basis, T("kb.basis", "Basis", en.In(lang).Basis, "ID", en.ID, "Reviewed", en.Reviewed))
				}
			}
		}
	}
	parts := []Text{T("kb.answer", "Title", t.Title, "Answer", strings.TrimSpace(answer))}
	parts = append(parts, basis...)
	return append(parts, T("kb.disclaimer"))
}

// record counts a KB event with the update (suffix tells events of one update apart).
func (e *Engine) record(r *replies, suffix string, ev KBEvent) {
	ev.Lang, ev.At = r.lang, e.now()
	r.fx.KB = append(r.fx.KB, KBRecord{ID: r.update + ":" + suffix, Event: ev})
}

// kbButton handles the knowledge base's buttons: a related topic, a rating, a hand-off.
func (e *Engine) kbButton(ctx context.Context, r *replies, s *Session, in Input, arg string) error {
	if e.kb == nil {
		return e.stale(r, s)
	}
	kind, id, _ := strings.Cut(arg, ":")
	switch kind {
	case "e":
		entry, ok := e.kb.Index.Entry(id)
		if !ok {
			return e.stale(r, s)
		}
		r.ask(e.entryAnswer(ctx, r.lang, "", entry, knowledge.Result{}), e.feedback(r, s, id))
		e.record(r, "a", KBEvent{Kind: EventAsked, EntryID: id})
		return nil
	case "up", "down":
		return e.rate(r, s, kind, id)
	case "q": // "it was a question for the assistant", after a clarifying question
		if s.Question == "" || id != questionKey(s.Question) {
			return e.stale(r, s)
		}
		q := s.Question
		s.Question = ""
		return e.question(ctx, r, s, q)
	case "staff":
		if s.Question == "" || id != questionKey(s.Question) {
			return e.stale(r, s)
		}
		if !e.mayHandOff(s) {
			r.say(T("frontdoor.handoff_limit", "Phone", e.cfg.Procuratorate.Phone))
			return nil
		}
		e.handOff(r, in, s.Question)
		s.Question = ""
		r.say(T("kb.handed_off"))
		e.reprompt(r, s)
		return nil
	}
	return e.stale(r, s)
}

// kbStats answers /kbstats for staff members.
func (e *Engine) kbStats(ctx context.Context, r *replies, userID int64) error {
	if !e.isStaff(userID) || e.kb == nil || e.kb.Log == nil {
		r.say(T("unknown_command"))
		return nil
	}
	st, err := e.kb.Log.KBStats(ctx)
	if err != nil {
		return fmt.Errorf("kb stats: %w", err)
	}
	parts := []Text{T("kbstats.asked")}
	for _, c := range st.Asked {
		parts = append(parts, T("kbstats.line", "ID", c.ID).N(int(c.N)).Line())
	}
	parts = append(parts, T("kbstats.unhelpful"))
	for _, c := range st.Unhelpful {
		parts = append(parts, T("kbstats.line", "ID", c.ID).N(int(c.N)).Line())
	}
	parts = append(parts, T("kbstats.unanswered"))
	for _, q := range st.Unanswered {
		parts = append(parts, T("kbstats.question", "Time", e.formatTime(q.At), "Question", q.Question).Line())
	}
	r.say(parts...)
	return nil
}
