package knowledge

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Index answers questions from a fixed set of entries. It is safe for concurrent use; build it
// once with [NewIndex] and share it.
type Index struct {
	bleve    bleve.Index
	entries  []Entry
	byID     map[string]int // id → position in entries
	syn      synonyms
	scope    scope
	analyzer map[string]analysis.Analyzer // per language, as used for the text fields
	terms    map[string][]termSet         // per language, per entry position: indexed terms
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
func NewIndex(entries []Entry) (*Index, error) {
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
	ix := &Index{
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
func (ix *Index) fill() error {
	batch := ix.bleve.NewBatch()
	ix.terms = map[string][]termSet{}
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
				ix.terms[lang] = append(ix.terms[lang], termSet{})
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

// analyzerFor names the analyser of a language's fields.
func analyzerFor(lang string) string {
	if lang == LangEn {
		return en.AnalyzerName
	}
	return cjk.AnalyzerName
}

// Entry returns the entry with the given id and whether it exists.
func (ix *Index) Entry(id string) (Entry, bool) {
	pos, ok := ix.byID[id]
	if !ok {
		return Entry{}, false
	}
	return ix.entries[pos], true
}

// Entries returns every indexed entry in the order given to [NewIndex]. The slice is a copy.
func (ix *Index) Entries() []Entry { return append([]Entry(nil), ix.entries...) }

// Close releases the index's resources. Searching a closed index returns no matches.
func (ix *Index) Close() error { return ix.bleve.Close() }

// entryIDOf maps a document id (entry or question document) to its entry id.
func entryIDOf(docID string) string {
	id, _, _ := strings.Cut(docID, questionSep)
	return id
}
