package knowledge

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// langIndex is the part of the index for one language: the term dictionary, the postings of the
// language's four fields and each entry's term sets.
type langIndex struct {
	lang     string
	analyzer analysis.Analyzer
	ids      map[string]int32 // term → id; ids follow the terms' byte order, so sorting ids sorts terms
	df       []int32          // per id: number of entries whose title or questions contain the term
	weight   []float64        // per id: the term's weight in the confidence measures, see termWeight
	rankIDF  []float64        // per id: entry-level idf to the power idfPow, the term's ranking boost
	fields   [numKinds]postings
	sets     []termSet // per entry position

	syn synWords // the words of lang's synonym groups
}

// synWords are the words of one language's synonym groups, numbered group after group.
type synWords struct {
	lang   string
	words  []string       // normalised
	padded []string       // the word between spaces, to find an English word as a whole word
	first  map[rune][]int // first rune → the numbers of the words starting with it
	group  [][]int        // per group: the numbers of its words
	terms  [][]string     // per word: its analysed terms in byte order
}

// newSynWords numbers lang's synonym words and analyses them with a.
func newSynWords(syn synonyms, lang string, a analysis.Analyzer) synWords {
	sw := synWords{lang: lang, first: map[rune][]int{}}
	for _, g := range syn.groups(lang) {
		var idx []int
		for _, w := range g {
			r, _ := utf8.DecodeRuneInString(w)
			sw.first[r] = append(sw.first[r], len(sw.words))
			idx = append(idx, len(sw.words))
			sw.words = append(sw.words, w)
			sw.padded = append(sw.padded, " "+w+" ")
			sw.terms = append(sw.terms, sortedKeys(termSetOfText(a, w)))
		}
		sw.group = append(sw.group, idx)
	}
	return sw
}

// in returns the bit set of the words that the normalised text contains, as
// [synonyms.contains] finds them: anywhere for Chinese, as whole words (or runs of words) for
// English. Instead of searching the text for every word, it looks at each position for the
// words starting with the rune there.
func (sw *synWords) in(text string) []uint64 {
	out := make([]uint64, (len(sw.words)+63)/64)
	if sw.lang == LangEn {
		padded := " " + text + " "
		for i := 0; i < len(padded)-1; i++ {
			if padded[i] != ' ' {
				continue
			}
			r, _ := utf8.DecodeRuneInString(padded[i+1:])
			for _, w := range sw.first[r] {
				if strings.HasPrefix(padded[i:], sw.padded[w]) {
					out[w/64] |= 1 << (w % 64)
				}
			}
		}
		return out
	}
	for i, r := range text {
		for _, w := range sw.first[r] {
			if strings.HasPrefix(text[i:], sw.words[w]) {
				out[w/64] |= 1 << (w % 64)
			}
		}
	}
	return out
}

// termSet holds the analysed terms of one entry in one language, as sorted term ids.
type termSet struct {
	present   bool      // the entry has text in this language
	core      []int32   // terms of the title and the questions
	answer    []int32   // terms of the answer
	phrasings [][]int32 // terms of the title and of each question, one set per phrasing
	synIn     []uint64  // bit set over the language's synonym words: those the entry's text contains
}

// newLangIndex builds the index of lang from the analysed texts of every entry; qdoc gives the
// document numbers of each entry's question documents.
func (ix *Index) newLangIndex(lang string, a analysis.Analyzer, sw synWords, texts []docText, qdoc [][]int32) *langIndex {
	li := &langIndex{lang: lang, analyzer: a, ids: dictionary(texts), syn: sw}
	nterms := len(li.ids)
	li.df = make([]int32, nterms)
	li.sets = make([]termSet, len(texts))

	b := newPostingsBuilders(texts)
	freq := make([]int32, nterms) // scratch: summed frequencies of the questions field
	var touched []int32
	for pos := range texts {
		d := &texts[pos]
		if !d.present {
			continue
		}
		title := li.idsOf(d.title)
		b[kindTitle].addField(title, d.title.freq, d.title.length, int32(pos))
		b[kindAnswer].addField(li.idsOf(d.answer), d.answer.freq, d.answer.length, int32(pos))
		ts := termSet{present: true, phrasings: [][]int32{sortedCopy(title)}}
		length := 0
		touched = touched[:0]
		for i := range d.questions {
			q := &d.questions[i]
			qids := li.idsOf(*q)
			b[kindOneQ].addField(qids, q.freq, q.length, qdoc[pos][i])
			ts.phrasings = append(ts.phrasings, sortedCopy(qids))
			length += q.length
			for j, id := range qids {
				if freq[id] == 0 {
					touched = append(touched, id)
				}
				freq[id] += q.freq[j]
			}
		}
		qfreq := make([]int32, len(touched))
		for j, id := range touched {
			qfreq[j], freq[id] = freq[id], 0
		}
		b[kindQ].addField(touched, qfreq, length, int32(pos))

		ts.core = sortedUnion(title, touched)
		ts.answer = sortedCopy(li.idsOf(d.answer))
		ts.synIn = d.synIn
		for _, id := range ts.core {
			li.df[id]++
		}
		li.sets[pos] = ts
	}
	for k := range b {
		li.fields[k] = b[k].build(nterms)
	}
	li.weight = make([]float64, nterms)
	li.rankIDF = make([]float64, nterms)
	for term, id := range li.ids {
		li.weight[id] = ix.termWeight(lang, term, int(li.df[id]))
		li.rankIDF[id] = math.Pow(ix.idf(int(li.df[id])), ix.p.idfPow)
	}
	return li
}

// dictionary assigns ids to every term of texts in the terms' byte order.
func dictionary(texts []docText) map[string]int32 {
	seen := map[string]bool{}
	add := func(a analysed) {
		for _, t := range a.terms {
			seen[t] = true
		}
	}
	for i := range texts {
		add(texts[i].title)
		add(texts[i].answer)
		for _, q := range texts[i].questions {
			add(q)
		}
	}
	terms := make([]string, 0, len(seen))
	for t := range seen {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	ids := make(map[string]int32, len(terms))
	for i, t := range terms {
		ids[t] = int32(i)
	}
	return ids
}

// idsOf returns the ids of a's terms, in a's order.
func (li *langIndex) idsOf(a analysed) []int32 {
	out := make([]int32, len(a.terms))
	for i, t := range a.terms {
		out[i] = li.ids[t]
	}
	return out
}

// id returns the id of term, or -1 when no entry contains it.
func (li *langIndex) id(term string) int32 {
	if id, ok := li.ids[term]; ok {
		return id
	}
	return -1
}

// hasBit reports whether bit i is set in set.
func hasBit(set []uint64, i int) bool { return set[i/64]&(1<<(i%64)) != 0 }

// idf is the BM25-style inverse document frequency, over the entries' titles and questions, of a
// term that df entries contain; a term no entry has gets the highest value.
func (ix *Index) idf(df int) float64 {
	n := float64(len(ix.entries))
	d := float64(df)
	return math.Log(1 + (n-d+0.5)/(d+0.5))
}

// termWeight is how much a query term of lang that df entries contain counts in the confidence
// measures: its entry-level idf, scaled down for a term no entry contains (so filler words of a
// long question do not sink it) and for a Chinese bigram with a function character (see
// [isFunctionTerm]).
func (ix *Index) termWeight(lang, term string, df int) float64 {
	w := ix.idf(df)
	if df == 0 {
		w *= ix.p.unseenIDF
	}
	if isFunctionTerm(lang, term) {
		w *= ix.p.functionWeight
	}
	return w
}

// sortedCopy returns the ids sorted, without repeats (analysed terms are already distinct).
func sortedCopy(ids []int32) []int32 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// sortedUnion returns the sorted union of two id lists.
func sortedUnion(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// sortedKeys returns the keys of a set in byte order.
func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// contains reports whether the sorted ids contain id.
func contains(ids []int32, id int32) bool {
	_, ok := slices.BinarySearch(ids, id)
	return ok
}
