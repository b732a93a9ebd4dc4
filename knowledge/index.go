package knowledge

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Index answers questions from a fixed set of entries. It is safe for concurrent use; build it
// once with [NewIndex] and share it.
//
// It is an inverted index held in memory: the entries' text is cut into terms by bleve's
// analysers, and a search scores documents with bleve's tf-idf formula, as a bleve index of the
// same documents would (see [Index.scoreDocs] and README.md, "Performance").
type Index struct {
	entries  []Entry
	byID     map[string]int // id → position in entries
	syn      synonyms
	scope    scope
	langs    map[string]*langIndex
	docEntry []int32 // question document number minus len(entries) → entry position
	numDocs  int     // entry documents plus question documents
	p        params
	scratch  sync.Pool // *scratch, per-search working memory
	closed   atomic.Bool
}

// Kinds of index fields. Each language has a title, a questions and an answer field on the
// entry document; each question is also indexed alone as a question document.
const (
	kindTitle = iota
	kindQ
	kindAnswer
	kindOneQ
	numKinds
)

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
	analyzers, err := newAnalyzers()
	if err != nil {
		return nil, err
	}
	ix := &Index{
		entries: append([]Entry(nil), entries...),
		byID:    make(map[string]int, len(entries)),
		syn:     syn,
		scope:   sc,
		langs:   map[string]*langIndex{},
		p:       defaultParams(),
	}
	for pos, e := range ix.entries {
		if _, dup := ix.byID[e.ID]; dup {
			return nil, fmt.Errorf("index: duplicate entry id %q", e.ID)
		}
		ix.byID[e.ID] = pos
	}
	ix.fill(analyzers)
	ix.scratch.New = func() any { return newScratch(ix.numDocs, len(ix.entries)) }
	return ix, nil
}

// docText is the analysed text of one entry in one language.
type docText struct {
	present   bool
	title     analysed
	questions []analysed // one per question, empty ones included
	answer    analysed
	synIn     []uint64 // bit set over the language's synonym words: those the text contains
}

// fill analyses every entry and builds the postings and term statistics of each language. The
// documents are those the bleve index this replaced held: one entry document per entry, numbered
// by the entry's position, then one question document per question of each language, numbered
// entry after entry.
func (ix *Index) fill(analyzers map[string]analysis.Analyzer) {
	texts := map[string][]docText{}
	syn := map[string]synWords{}
	for _, lang := range Languages() {
		syn[lang] = newSynWords(ix.syn, lang, analyzers[lang])
		texts[lang] = analyseEntries(analyzers[lang], syn[lang], ix.entries)
	}
	n := len(ix.entries)
	qdoc := map[string][][]int32{} // per language, per entry position: question document numbers
	for _, lang := range Languages() {
		qdoc[lang] = make([][]int32, n)
	}
	for pos := range ix.entries {
		for _, lang := range Languages() {
			for range texts[lang][pos].questions {
				qdoc[lang][pos] = append(qdoc[lang][pos], int32(n+len(ix.docEntry)))
				ix.docEntry = append(ix.docEntry, int32(pos))
			}
		}
	}
	ix.numDocs = n + len(ix.docEntry)
	for _, lang := range Languages() {
		ix.langs[lang] = ix.newLangIndex(lang, analyzers[lang], syn[lang], texts[lang], qdoc[lang])
	}
}

// analyseEntries analyses the text of every entry in sw's language, spreading the work over the
// CPUs.
func analyseEntries(a analysis.Analyzer, sw synWords, entries []Entry) []docText {
	out := make([]docText, len(entries))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(entries)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := map[string]int{}
			for {
				pos := int(next.Add(1)) - 1
				if pos >= len(entries) {
					return
				}
				out[pos] = analyseEntry(a, &sw, seen, entries[pos])
			}
		}()
	}
	wg.Wait()
	return out
}

// analyseEntry analyses one entry's text in sw's language; seen is scratch space for analyse.
func analyseEntry(a analysis.Analyzer, sw *synWords, seen map[string]int, e Entry) docText {
	t, ok := e.Text[sw.lang]
	if !ok {
		return docText{}
	}
	title, answer := Normalize(t.Title), Normalize(t.Answer)
	d := docText{present: true, title: analyse(a, title, seen), answer: analyse(a, answer, seen)}
	questions := make([]string, 0, len(t.Questions))
	for _, q := range t.Questions {
		q = Normalize(q)
		d.questions = append(d.questions, analyse(a, q, seen))
		if q != "" {
			questions = append(questions, q)
		}
	}
	d.synIn = sw.in(title + " " + strings.Join(questions, " ") + " " + answer)
	return d
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

// Close marks the index closed: searching a closed index returns no matches, while [Index.Entry]
// and [Index.Entries] keep working. The index holds nothing but memory, so Close never fails.
func (ix *Index) Close() error {
	ix.closed.Store(true)
	return nil
}
