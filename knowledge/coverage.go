package knowledge

import (
	"sort"
	"strings"
)

// termSet holds the analysed terms of one entry in one language.
type termSet struct {
	core      map[string]bool   // terms of the title and the questions
	answer    map[string]bool   // terms of the answer
	phrasings []map[string]bool // terms of the title and of each question, one set per phrasing
	text      string            // normalised title, questions and answer, for synonym lookups
}

// termSetOf analyses an entry's text in lang.
func (ix *Index) termSetOf(lang string, t Text) termSet {
	core := Normalize(t.Title) + " " + strings.Join(normalizeAll(t.Questions), " ")
	answer := Normalize(t.Answer)
	phrasings := make([]map[string]bool, 0, 1+len(t.Questions))
	for _, p := range append([]string{t.Title}, t.Questions...) {
		phrasings = append(phrasings, ix.termsOf(lang, Normalize(p)))
	}
	return termSet{
		core:      ix.termsOf(lang, core),
		answer:    ix.termsOf(lang, answer),
		phrasings: phrasings,
		text:      core + " " + answer,
	}
}

// termsOf returns the set of terms lang's analyser produces for text.
func (ix *Index) termsOf(lang, text string) map[string]bool {
	out := map[string]bool{}
	for _, tok := range ix.analyzer[lang].Analyze([]byte(text)) {
		out[string(tok.Term)] = true
	}
	return out
}

// termWeight is how much a query term of lang counts in the confidence measures: its entry-level
// idf, scaled down for a term no entry contains (so filler words of a long question do not sink
// it) and for a Chinese bigram with a function character (see [isFunctionTerm]).
func (ix *Index) termWeight(lang, term string) float64 {
	w := ix.idf(lang, term)
	if ix.df[lang][term] == 0 {
		w *= ix.p.unseenIDF
	}
	if isFunctionTerm(lang, term) {
		w *= ix.p.functionWeight
	}
	return w
}

// coverage is the confidence that entry id answers the normalised question: the weighted share
// of the question's terms found in the entry (see [Index.termWeight]), in the best of the
// question's languages. A term found only in the answer earns part of its weight; a term standing
// for a synonym of a word in the entry earns its full weight.
func (ix *Index) coverage(langs map[string]float64, norm, id string) float64 {
	pos, ok := ix.byID[id]
	if !ok {
		return 0
	}
	best := 0.0
	for lang := range langs {
		if c := ix.coverageIn(lang, norm, pos); c > best {
			best = c
		}
	}
	return best
}

// coverageIn computes coverage for one language.
func (ix *Index) coverageIn(lang, norm string, pos int) float64 {
	ts := ix.terms[lang][pos]
	query := ix.termsOf(lang, norm)
	if len(query) == 0 || ts.core == nil {
		return 0
	}
	viaSynonym := ix.synonymTerms(lang, norm, ts.text)
	terms := make([]string, 0, len(query))
	for term := range query {
		terms = append(terms, term)
	}
	sort.Strings(terms) // fixed summation order, so the result never depends on map order
	var total, got float64
	for _, term := range terms {
		w := ix.termWeight(lang, term)
		total += w
		switch {
		case ts.core[term], viaSynonym[term]:
			got += w
		case ts.answer[term]:
			got += w * ix.p.answerCover
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// phrasingCoverage measures how closely the normalised question, with its synonym expansion exp,
// restates one of entry id's own phrasings (its title or one of its questions): for each phrasing,
// the weighted share of its terms that the question contains, at best. The entry's phrasings
// carry its key content, so a question that shares only generic domain words with all of them
// (检察院, 申请, 怎么办…) is not about this entry, however many of those words it repeats.
func (ix *Index) phrasingCoverage(langs map[string]float64, norm, exp, id string) float64 {
	pos, ok := ix.byID[id]
	if !ok {
		return 0
	}
	best := 0.0
	for lang := range langs {
		query := ix.termsOf(lang, norm)
		for term := range ix.termsOf(lang, exp) {
			query[term] = true
		}
		for _, phrasing := range ix.terms[lang][pos].phrasings {
			terms := make([]string, 0, len(phrasing))
			for term := range phrasing {
				terms = append(terms, term)
			}
			sort.Strings(terms) // fixed summation order
			var total, got float64
			for _, term := range terms {
				w := ix.termWeight(lang, term)
				total += w
				if query[term] {
					got += w
				}
			}
			if total > 0 && got/total > best {
				best = got / total
			}
		}
	}
	return best
}

// synonymTerms returns the query terms that belong to a synonym-group word of the question when
// another member of that group occurs in the entry's text.
func (ix *Index) synonymTerms(lang, norm, entryText string) map[string]bool {
	out := map[string]bool{}
	for _, group := range ix.syn.groups(lang) {
		var inQuery []string
		inEntry := false
		for _, w := range group {
			if ix.syn.contains(lang, norm, w) {
				inQuery = append(inQuery, w)
			} else if ix.syn.contains(lang, entryText, w) {
				inEntry = true
			}
		}
		if !inEntry {
			continue
		}
		for _, w := range inQuery {
			for term := range ix.termsOf(lang, w) {
				out[term] = true
			}
		}
	}
	return out
}
