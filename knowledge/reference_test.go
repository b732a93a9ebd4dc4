package knowledge

// The retrieval engine Index replaced: bleve with scorch in memory, the same documents and the
// same bleve queries, ported unchanged except for names (Index → refIndex, NewIndex →
// newRefIndex, Search → refSearch, termSet → refTermSet, and the helpers whose new versions
// differ). TestMatchesBleve checks that Index gives the same results.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// refIndex is the bleve index that Index replaced.
type refIndex struct {
	bleve    bleve.Index
	entries  []Entry
	byID     map[string]int // id → position in entries
	syn      synonyms
	scope    scope
	analyzer map[string]analysis.Analyzer // per language, as used for the text fields
	terms    map[string][]refTermSet      // per language, per entry position: indexed terms
	df       map[string]map[string]int    // per language: term → number of entries containing it
	p        params
}

// Kinds of index fields, and the separator in question-document ids (apply.deadline#en#3). Each language has a title, a questions and an answer
// field on the entry document; each question is also indexed alone as a question document.
const (
	fieldTitle  = "title"
	fieldQ      = "q"
	fieldAnswer = "answer"
	fieldOneQ   = "oneq"
	questionSep = "#"
)

// field names the index field of kind for lang, e.g. "zh_title". (Dots would be read as paths
// into nested documents.)
func field(lang, kind string) string {
	if lang == LangEn {
		return "en_" + kind
	}
	return "zh_" + kind
}

// NewIndex builds an in-memory index of entries, which must have unique ids (as [Load] returns
// them). The entries are copied by value; the slices and maps inside them are shared, so do not
// modify them afterwards. Close the index when it is no longer needed.
func newRefIndex(entries []Entry) (*refIndex, error) {
	syn, err := parseSynonyms(synonymsYAML)
	if err != nil {
		return nil, err
	}
	sc, err := parseScope(scopeYAML)
	if err != nil {
		return nil, err
	}
	m, err := indexMapping()
	if err != nil {
		return nil, err
	}
	b, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("create index: %w", err)
	}
	ix := &refIndex{
		bleve:    b,
		entries:  append([]Entry(nil), entries...),
		byID:     make(map[string]int, len(entries)),
		syn:      syn,
		scope:    sc,
		analyzer: map[string]analysis.Analyzer{},
		p:        defaultParams(),
	}
	for _, lang := range Languages() {
		ix.analyzer[lang] = m.AnalyzerNamed(analyzerFor(lang))
	}
	if err := ix.fill(); err != nil {
		_ = b.Close()
		return nil, err
	}
	return ix, nil
}

// fill indexes every entry and precomputes the term statistics used for confidence.
func (ix *refIndex) fill() error {
	batch := ix.bleve.NewBatch()
	ix.terms = map[string][]refTermSet{}
	ix.df = map[string]map[string]int{}
	for pos, e := range ix.entries {
		if _, dup := ix.byID[e.ID]; dup {
			return fmt.Errorf("index: duplicate entry id %q", e.ID)
		}
		ix.byID[e.ID] = pos
		doc := map[string]any{}
		for _, lang := range Languages() {
			t, ok := e.Text[lang]
			if !ok {
				ix.terms[lang] = append(ix.terms[lang], refTermSet{})
				continue
			}
			doc[field(lang, fieldTitle)] = Normalize(t.Title)
			doc[field(lang, fieldQ)] = normalizeAll(t.Questions)
			doc[field(lang, fieldAnswer)] = Normalize(t.Answer)
			for i, q := range t.Questions {
				id := e.ID + questionSep + lang + questionSep + strconv.Itoa(i)
				if err := batch.Index(id, map[string]any{field(lang, fieldOneQ): Normalize(q)}); err != nil {
					return fmt.Errorf("index %s: %w", id, err)
				}
			}
			ts := ix.termSetOf(lang, t)
			ix.terms[lang] = append(ix.terms[lang], ts)
			if ix.df[lang] == nil {
				ix.df[lang] = map[string]int{}
			}
			for term := range ts.core {
				ix.df[lang][term]++
			}
		}
		if err := batch.Index(e.ID, doc); err != nil {
			return fmt.Errorf("index %s: %w", e.ID, err)
		}
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("index entries: %w", err)
	}
	return nil
}

// indexMapping declares the analysers and the fields of both document kinds.
func indexMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	doc := bleve.NewDocumentStaticMapping()
	for _, lang := range Languages() {
		for _, kind := range []string{fieldTitle, fieldQ, fieldAnswer, fieldOneQ} {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = analyzerFor(lang)
			fm.Store = false
			fm.IncludeInAll = false
			fm.IncludeTermVectors = false
			fm.DocValues = false
			doc.AddFieldMappingsAt(field(lang, kind), fm)
		}
	}
	m.DefaultMapping = doc
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return m, nil
}

// close releases the bleve index.
func (ix *refIndex) close() error { return ix.bleve.Close() }

// entryIDOf maps a document id (entry or question document) to its entry id.
func entryIDOf(docID string) string {
	id, _, _ := strings.Cut(docID, questionSep)
	return id
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
func (ix *refIndex) refSearch(lang, question string) Result {
	if lang != LangEn {
		lang = LangZh
	}
	norm := Normalize(question)
	if norm == "" {
		return Result{OutOfScope: true}
	}
	langs := queryLangs(lang, norm, ix.p.otherLang)
	exp := ix.syn.expand(norm)
	matches := refTopMatches(ix.rank(langs, norm, exp), maxMatches)
	foreign := ix.scope.foreign(norm)
	res := Result{Matches: matches}
	res.Answered = len(matches) > 0 && !ix.scope.offTopic(norm) && ix.confident(langs, norm, exp, matches, foreign)
	res.OutOfScope = !res.Answered && foreign
	return res
}

// rank scores the entries matching the normalised question and its synonym expansion exp. Each
// analysed query term becomes one term query per field, boosted by the field weight and by the
// term's entry-level idf, so the words that tell entries apart weigh most; expansion terms weigh
// synBoost as much as typed ones.
func (ix *refIndex) rank(langs map[string]float64, norm, exp string) map[string]float64 {
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
		weights := refExpandWeights(ix.termsOf(lang, norm), ix.termsOf(lang, exp), w, w*p.synBoost)
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

// refExpandWeights gives typed terms weight w and expansion terms not typed weight we.
func refExpandWeights(typed, extra map[string]bool, w, we float64) map[string]float64 {
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
func (ix *refIndex) idf(lang, term string) float64 {
	n := float64(len(ix.entries))
	df := float64(ix.df[lang][term])
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// collect runs the disjunction of clauses and scores each entry: its entry document's score plus
// oneQWeight times the score of its best question document.
func (ix *refIndex) collect(clauses []query.Query) map[string]float64 {
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

// refTopMatches returns the n best positive scores, best first; ties are broken by id so results
// are stable. It returns nil when no score is positive.
func refTopMatches(scores map[string]float64, n int) []Match {
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
func (ix *refIndex) confident(langs map[string]float64, norm, exp string, m []Match, foreign bool) bool {
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

// refTermSet holds the analysed terms of one entry in one language.
type refTermSet struct {
	core      map[string]bool   // terms of the title and the questions
	answer    map[string]bool   // terms of the answer
	phrasings []map[string]bool // terms of the title and of each question, one set per phrasing
	text      string            // normalised title, questions and answer, for synonym lookups
}

// termSetOf analyses an entry's text in lang.
func (ix *refIndex) termSetOf(lang string, t Text) refTermSet {
	core := Normalize(t.Title) + " " + strings.Join(normalizeAll(t.Questions), " ")
	answer := Normalize(t.Answer)
	phrasings := make([]map[string]bool, 0, 1+len(t.Questions))
	for _, p := range append([]string{t.Title}, t.Questions...) {
		phrasings = append(phrasings, ix.termsOf(lang, Normalize(p)))
	}
	return refTermSet{
		core:      ix.termsOf(lang, core),
		answer:    ix.termsOf(lang, answer),
		phrasings: phrasings,
		text:      core + " " + answer,
	}
}

// termsOf returns the set of terms lang's analyser produces for text.
func (ix *refIndex) termsOf(lang, text string) map[string]bool {
	out := map[string]bool{}
	for _, tok := range ix.analyzer[lang].Analyze([]byte(text)) {
		out[string(tok.Term)] = true
	}
	return out
}

// termWeight is how much a query term of lang counts in the confidence measures: its entry-level
// idf, scaled down for a term no entry contains (so filler words of a long question do not sink
// it) and for a Chinese bigram with a function character (see [isFunctionTerm]).
func (ix *refIndex) termWeight(lang, term string) float64 {
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
func (ix *refIndex) coverage(langs map[string]float64, norm, id string) float64 {
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
func (ix *refIndex) coverageIn(lang, norm string, pos int) float64 {
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
func (ix *refIndex) phrasingCoverage(langs map[string]float64, norm, exp, id string) float64 {
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
func (ix *refIndex) synonymTerms(lang, norm, entryText string) map[string]bool {
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
