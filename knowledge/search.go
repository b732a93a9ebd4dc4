package knowledge

import (
	"context"
	"math"
	"sort"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
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
	exp := ix.syn.expand(norm)
	matches := topMatches(ix.rank(langs, norm, exp), maxMatches)
	foreign := ix.scope.foreign(norm)
	res := Result{Matches: matches}
	res.Answered = len(matches) > 0 && !ix.scope.offTopic(norm) && ix.confident(langs, norm, exp, matches, foreign)
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

// rank scores the entries matching the normalised question and its synonym expansion exp. Each
// analysed query term becomes one term query per field, boosted by the field weight and by the
// term's entry-level idf, so the words that tell entries apart weigh most; expansion terms weigh
// synBoost as much as typed ones.
func (ix *Index) rank(langs map[string]float64, norm, exp string) map[string]float64 {
	p := ix.p
	fields := []struct {
		kind  string
		boost float64
	}{{fieldTitle, p.boostTitle}, {fieldQ, p.boostQ}, {fieldAnswer, p.boostAnswer}, {fieldOneQ, p.boostOneQ}}
	var clauses []query.Query
	for _, lang := range Languages() { // fixed order: scores must not depend on map order
		w, ok := langs[lang]
		if !ok {
			continue
		}
		weights := expandWeights(ix.termsOf(lang, norm), ix.termsOf(lang, exp), w, w*p.synBoost)
		terms := make([]string, 0, len(weights))
		for term := range weights {
			terms = append(terms, term)
		}
		sort.Strings(terms)
		for _, term := range terms {
			boost := weights[term] * math.Pow(ix.idf(lang, term), p.idfPow)
			for _, f := range fields {
				q := bleve.NewTermQuery(term)
				q.SetField(field(lang, f.kind))
				q.SetBoost(boost * f.boost)
				clauses = append(clauses, q)
			}
		}
	}
	return ix.collect(clauses)
}

// expandWeights gives typed terms weight w and expansion terms not typed weight we.
func expandWeights(typed, extra map[string]bool, w, we float64) map[string]float64 {
	out := make(map[string]float64, len(typed)+len(extra))
	for t := range extra {
		if we > 0 {
			out[t] = we
		}
	}
	for t := range typed {
		out[t] = w
	}
	return out
}

// idf is the BM25-style inverse document frequency of a term over the entries' titles and
// questions in lang; a term no entry has gets the highest value.
func (ix *Index) idf(lang, term string) float64 {
	n := float64(len(ix.entries))
	df := float64(ix.df[lang][term])
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// collect runs the disjunction of clauses and scores each entry: its entry document's score plus
// oneQWeight times the score of its best question document.
func (ix *Index) collect(clauses []query.Query) map[string]float64 {
	if len(clauses) == 0 {
		return nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(clauses...), ix.p.hits, 0, false)
	res, err := ix.bleve.SearchInContext(context.Background(), req)
	if err != nil {
		return nil
	}
	scores := map[string]float64{}
	best := map[string]float64{}
	for _, h := range res.Hits {
		id := entryIDOf(h.ID)
		if id == h.ID {
			scores[id] += h.Score
		} else if h.Score > best[id] {
			best[id] = h.Score
		}
	}
	for id, s := range best {
		scores[id] += ix.p.oneQWeight * s
	}
	return scores
}

// topMatches returns the n best positive scores, best first; ties are broken by id so results
// are stable. It returns nil when no score is positive.
func topMatches(scores map[string]float64, n int) []Match {
	out := make([]Match, 0, len(scores))
	for id, s := range scores {
		if s > 0 && !math.IsNaN(s) && !math.IsInf(s, 0) {
			out = append(out, Match{ID: id, Score: s})
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
	return out[:min(n, len(out))]
}

// confident reports whether the best match covers enough of the normalised question (with its
// synonym expansion exp) to be shown as the answer: foreign questions (no domain word) need the
// higher floor; the question must restate enough of one of the entry's own phrasings
// (minPhrasing); and a match that covers less than sureCoverage must also lead the runner-up by
// the margin minRatio.
func (ix *Index) confident(langs map[string]float64, norm, exp string, m []Match, foreign bool) bool {
	p := ix.p
	floor := p.minCoverage
	if foreign {
		floor = p.minCoverageForeign
	}
	cov := ix.coverage(langs, norm, m[0].ID)
	if cov < floor || ix.phrasingCoverage(langs, norm, exp, m[0].ID) < p.minPhrasing {
		return false
	}
	return cov >= p.sureCoverage || len(m) == 1 || m[0].Score >= p.minRatio*m[1].Score
}
