package dialogs

import (
	"hash/fnv"
	"strconv"
)

// Ratings of knowledge-base answers count one per user per answer actually shown: the
// session remembers the last answers it showed, each with a token that its "helpful" and
// "not helpful" buttons carry ("k:up:<token>"). A press with a token the session does not
// hold (forged, or an answer too old to remember) is refused as out of date; a second
// press for an entry already rated is thanked but not counted.

// shownMax is how many shown answers a session remembers.
const shownMax = 5

// Shown is the answers a session showed last, oldest first.
type Shown struct {
	Answers []ShownAnswer `json:"a"`
}

// ShownAnswer is one answer shown: its token, its entry and whether it was rated.
type ShownAnswer struct {
	Token string `json:"t"`
	Entry string `json:"e"`
	Rated bool   `json:"r,omitempty"`
}

// feedback remembers that entry was shown in this update and returns its rating buttons.
func (e *Engine) feedback(r *replies, s *Session, entry string) [][]Button {
	h := fnv.New32a()
	h.Write([]byte(r.update + "\x00" + entry))
	token := strconv.FormatUint(uint64(h.Sum32()), 36)
	if s.Shown == nil {
		s.Shown = &Shown{}
	}
	rated := false
	for _, a := range s.Shown.Answers {
		rated = rated || (a.Entry == entry && a.Rated)
	}
	s.Shown.Answers = append(s.Shown.Answers, ShownAnswer{Token: token, Entry: entry, Rated: rated})
	if n := len(s.Shown.Answers); n > shownMax {
		s.Shown.Answers = append([]ShownAnswer(nil), s.Shown.Answers[n-shownMax:]...)
	}
	return [][]Button{row(btn("kb.helpful", "k:up:"+token), btn("kb.unhelpful", "k:down:"+token))}
}

// rate counts a press of a rating button (kind "up" or "down") once.
func (e *Engine) rate(r *replies, s *Session, kind, token string) error {
	var shown *ShownAnswer
	if s.Shown != nil {
		for i := range s.Shown.Answers {
			if s.Shown.Answers[i].Token == token {
				shown = &s.Shown.Answers[i]
			}
		}
	}
	if shown == nil {
		return e.stale(r, s)
	}
	if shown.Rated {
		r.say(T("kb.already_rated"))
		return nil
	}
	for i := range s.Shown.Answers {
		if s.Shown.Answers[i].Entry == shown.Entry {
			s.Shown.Answers[i].Rated = true
		}
	}
	ev := KBEvent{Kind: EventHelpful, EntryID: shown.Entry}
	if kind == "down" {
		ev.Kind = EventUnhelpful
	}
	r.say(T("kb.thanks"))
	e.record(r, "r", ev)
	return nil
}
