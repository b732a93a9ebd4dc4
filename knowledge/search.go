package knowledge

import (
	"math"
	"sort"
	"unicode"
)

// maxMatches is the number of matches a [Result] holds at most.
const maxMatches = 5

// Result is the outcome of [Index.Search].
type Result struct {
	// Matches are the best entries, best first, at most 5; empty when nothing matched at all.
	Matches []Match
	// Answered reports that Matches[0] is confident enough to be shown as the answer.
	Answered bool
	// OutOfScope reports that the question is about something the bot does not handle (another
	// area of law, small talk…). It is never true together with Answered.
	OutOfScope bool
}

// Match is one ranked entry.
type Match struct {
	// ID is the entry's id.
	ID string
	// Score orders matches (higher is better). It is comparable only within one Result.
	Score float64
}

// Search ranks the entries for question, asked by a user whose interface language is lang
// ([LangZh] or [LangEn]; anything else is treated as [LangZh]). A question written in Chinese
// is matched against the Chinese text and one written in English against the English text,
// whatever lang is; for a question mixing both scripts the UI language weighs more. Search never
// fails: an empty, garbled or over-long question yields a Result without matches, and only the
// first 300 characters of a question are considered.
//
// Answered is set when the best entry contains enough of the question's informative words
// (weighted by how rare they are across entries) and the question names no topic the bot does
// not handle; a question without any word of the bot's domain needs a higher share.
// OutOfScope is set when the question is not answered and names an unhandled topic or no domain
// word at all.
func (ix *Index) Search(lang, question string) Result {
	if lang != LangEn {
		lang = LangZh
	}
	norm := Normalize(question)
	if norm == "" {
		return Result{OutOfScope: true}
	}
	langs := queryLangs(lang, norm, ix.p.otherLang)
	q := ix.analyseQuery(langs, norm, ix.syn.expand(norm))
	matches := topMatches(ix.rank(q), maxMatches)
	foreign := ix.scope.foreign(norm)
	res := Result{Matches: matches}
	res.Answered = len(matches) > 0 && !ix.scope.offTopic(norm) && ix.confident(q, matches, foreign)
	res.OutOfScope = !res.Answered && foreign
	return res
}

// queryLangs returns the languages whose text a question is matched against, with their weights:
// Chinese if it contains Han characters, English if it contains Latin letters, both when it has
// neither. When both apply, the UI language weighs 1 and the other one `other`.
func queryLangs(ui, norm string, other float64) map[string]float64 {
	var han, latin bool
	for _, r := range norm {
		switch {
		case unicode.Is(unicode.Han, r):
			han = true
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			latin = true
		}
	}
	out := map[string]float64{}
	if han {
		out[LangZh] = 1
	}
	if latin {
		out[LangEn] = 1
	}
	if len(out) == 0 {
		out[LangZh], out[LangEn] = 1, 1
	}
	if len(out) == 2 {
		for l := range out {
			if l != ui {
				out[l] = other
			}
		}
	}
	return out
}

// langQuery is a question analysed in one of the languages it is matched against.
type langQuery struct {
	li     *langIndex
	weight float64  // the language's weight, see queryLangs
	typed  []qterm  // distinct terms of the question, in byte order
	extra  []qterm  // distinct terms of its synonym expansion, in byte order
	synIn  []uint64 // bit set over li.syn: the synonym words the question contains
}

// qterm is one query term with its id in the language's dictionary (-1 when no entry has it) and
// its weight in the confidence measures.
type qterm struct {
	term   string
	id     int32
	weight float64
}

// analyseQuery analyses the normalised question and its synonym expansion exp in each language
// of langs, in the fixed order of [Languages] (scores must not depend on map order).
func (ix *Index) analyseQuery(langs map[string]float64, norm, exp string) []langQuery {
	var out []langQuery
	for _, lang := range Languages() {
		w, ok := langs[lang]
		if !ok {
			continue
		}
		li := ix.langs[lang]
		q := langQuery{li: li, weight: w, typed: ix.qterms(li, norm), extra: ix.qterms(li, exp)}
		q.synIn = li.syn.in(norm)
		out = append(out, q)
	}
	return out
}

// qterms returns the distinct terms li's analyser produces for text, in byte order.
func (ix *Index) qterms(li *langIndex, text string) []qterm {
	terms := sortedKeys(termSetOfText(li.analyzer, text))
	out := make([]qterm, len(terms))
	for i, t := range terms {
		id := li.id(t)
		w := 0.0
		if id >= 0 {
			w = li.weight[id]
		} else {
			w = ix.termWeight(li.lang, t, 0)
		}
		out[i] = qterm{term: t, id: id, weight: w}
	}
	return out
}

// rank scores the entries matching the analysed question q. Each query term becomes one term
// query per field, boosted by the field weight and by the term's entry-level idf, so the words
// that tell entries apart weigh most; expansion terms weigh synBoost as much as typed ones. An
// entry scores its entry document's score plus oneQWeight times the score of its best question
// document, counting only the p.hits best documents.
func (ix *Index) rank(q []langQuery) []Match {
	if ix.closed.Load() {
		return nil
	}
	s := ix.scratch.Get().(*scratch)
	defer ix.scratch.Put(s)
	ix.clauses(q, s)
	ix.scoreDocs(s, ix.p.hits)
	return ix.collect(s)
}

// clauses puts the term queries of q in s.clauses: for each language of q, each term in byte
// order, one per field.
func (ix *Index) clauses(q []langQuery, s *scratch) {
	p := ix.p
	fields := [numKinds]float64{kindTitle: p.boostTitle, kindQ: p.boostQ, kindAnswer: p.boostAnswer, kindOneQ: p.boostOneQ}
	s.clauses = s.clauses[:0]
	for _, lq := range q {
		for _, t := range expandWeights(lq.typed, lq.extra, lq.weight, lq.weight*p.synBoost) {
			idfBoost := 0.0
			if t.id >= 0 {
				idfBoost = lq.li.rankIDF[t.id]
			} else {
				idfBoost = math.Pow(ix.idf(0), p.idfPow)
			}
			boost := t.weight * idfBoost
			for kind, fb := range fields {
				s.clauses = append(s.clauses, clause{li: lq.li, id: t.id, kind: kind, boost: boost * fb})
			}
		}
	}
}

// expandWeights merges the sorted typed and expansion terms into one sorted list, typed terms
// weighing w and expansion terms not typed we (left out when we is 0). The weight field of the
// result holds these weights.
func expandWeights(typed, extra []qterm, w, we float64) []qterm {
	out := make([]qterm, 0, len(typed)+len(extra))
	i, j := 0, 0
	for i < len(typed) || j < len(extra) {
		switch {
		case j == len(extra) || (i < len(typed) && typed[i].term < extra[j].term):
			out = append(out, qterm{term: typed[i].term, id: typed[i].id, weight: w})
			i++
		case i == len(typed) || extra[j].term < typed[i].term:
			if we > 0 {
				out = append(out, qterm{term: extra[j].term, id: extra[j].id, weight: we})
			}
			j++
		default: // the same term, typed
			out = append(out, qterm{term: typed[i].term, id: typed[i].id, weight: w})
			i++
			j++
		}
	}
	return out
}

// collect turns the best documents in s.top into entry scores: each entry's entry document's
// score plus oneQWeight times the score of its best question document.
func (ix *Index) collect(s *scratch) []Match {
	n := int32(len(ix.entries))
	for _, h := range s.top {
		pos := h.doc
		if h.doc >= n {
			pos = ix.docEntry[h.doc-n]
		}
		if !s.hit[pos] {
			s.hit[pos] = true
			s.hitEntries = append(s.hitEntries, pos)
		}
		if h.doc < n {
			s.entryScore[pos] += h.score
		} else if h.score > s.bestQ[pos] {
			s.bestQ[pos] = h.score
		}
	}
	out := make([]Match, 0, len(s.hitEntries))
	for _, pos := range s.hitEntries {
		score := s.entryScore[pos]
		if s.bestQ[pos] > 0 {
			score += ix.p.oneQWeight * s.bestQ[pos]
		}
		out = append(out, Match{ID: ix.entries[pos].ID, Score: score})
		s.hit[pos], s.entryScore[pos], s.bestQ[pos] = false, 0, 0
	}
	s.hitEntries = s.hitEntries[:0]
	return out
}

// topMatches returns the n best positive scores, best first; ties are broken by id so results
// are stable. It returns nil when no score is positive.
func topMatches(scores []Match, n int) []Match {
	out := scores[:0]
	for _, m := range scores {
		if m.Score > 0 && !math.IsNaN(m.Score) && !math.IsInf(m.Score, 0) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out[:min(n, len(out)):min(n, len(out))]
}

// confident reports whether the best match covers enough of the analysed question q to be shown as the answer: foreign questions (no domain word) need the
// higher floor; the question must restate enough of one of the entry's own phrasings
// (minPhrasing); and a match that covers less than sureCoverage must also lead the runner-up by
// the margin minRatio.
func (ix *Index) confident(q []langQuery, m []Match, foreign bool) bool {
	p := ix.p
	floor := p.minCoverage
	if foreign {
		floor = p.minCoverageForeign
	}
	pos := ix.byID[m[0].ID]
	cov := ix.coverage(q, pos)
	if cov < floor || ix.phrasingCoverage(q, pos) < p.minPhrasing {
		return false
	}
	return cov >= p.sureCoverage || len(m) == 1 || m[0].Score >= p.minRatio*m[1].Score
}
