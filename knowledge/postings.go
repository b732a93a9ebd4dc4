package knowledge

import (
	"math"
)

// postings are the posting lists of one field, for every term id, packed in three arrays: the
// postings of term id are doc[start[id]:start[id+1]] with their tfNorm.
type postings struct {
	start  []int32
	doc    []int32   // document numbers, ascending within a term
	tfNorm []float64 // sqrt(term frequency) × field norm: the document side of the tf-idf score
}

// count returns the number of documents whose field contains term id (bleve's docFreq).
func (p *postings) count(id int32) int {
	if id < 0 {
		return 0
	}
	return int(p.start[id+1] - p.start[id])
}

// fieldNorm is bleve's field-length norm: 1/sqrt(number of tokens), stored as a float32.
func fieldNorm(length int) float64 {
	return float64(float32(1.0 / math.Sqrt(float64(uint32(length)))))
}

// posting is one (term, document) pair while a field's postings are gathered.
type posting struct {
	id, doc int32
	tfNorm  float64
}

// postingsBuilder gathers a field's postings, document after document.
type postingsBuilder struct{ list []posting }

// newPostingsBuilders returns the builders of the four fields, sized for the postings of texts
// (for the questions field, an upper bound: a term of several questions is one posting).
func newPostingsBuilders(texts []docText) [numKinds]postingsBuilder {
	var n [numKinds]int
	for i := range texts {
		n[kindTitle] += len(texts[i].title.terms)
		n[kindAnswer] += len(texts[i].answer.terms)
		for _, q := range texts[i].questions {
			n[kindOneQ] += len(q.terms)
		}
	}
	n[kindQ] = n[kindOneQ]
	var b [numKinds]postingsBuilder
	for k := range b {
		b[k].list = make([]posting, 0, n[k])
	}
	return b
}

// addField adds the postings of one document's field: its distinct term ids, their frequencies
// and the field's length in tokens.
func (b *postingsBuilder) addField(ids, freq []int32, length int, doc int32) {
	if length == 0 {
		return
	}
	norm := fieldNorm(length)
	for i, id := range ids {
		b.list = append(b.list, posting{id: id, doc: doc, tfNorm: math.Sqrt(float64(freq[i])) * norm})
	}
}

// build packs the gathered postings by term (a counting sort, so documents stay in the order
// they were added).
func (b *postingsBuilder) build(nterms int) postings {
	p := postings{start: make([]int32, nterms+1), doc: make([]int32, len(b.list)), tfNorm: make([]float64, len(b.list))}
	for _, e := range b.list {
		p.start[e.id+1]++
	}
	for i := range nterms {
		p.start[i+1] += p.start[i]
	}
	next := append([]int32(nil), p.start[:nterms]...)
	for _, e := range b.list {
		at := next[e.id]
		next[e.id]++
		p.doc[at], p.tfNorm[at] = e.doc, e.tfNorm
	}
	b.list = nil
	return p
}

// clause is one term query of a search: a term id (-1 when the language has no such term) in a
// field of a language, with its boost.
type clause struct {
	li    *langIndex
	id    int32
	kind  int
	boost float64
}

// scratch is the working memory of one search, reused through Index.scratch.
type scratch struct {
	sum     []float64 // per document: summed clause scores
	matched []int32   // per document: clauses matched
	touched []int32   // documents with matched > 0
	top     []docHit  // the best documents
	clauses []clause
	idf     []float64 // per clause

	entryScore []float64 // per entry position: its entry document's score
	bestQ      []float64 // per entry position: its best question document's score
	hit        []bool    // per entry position: one of its documents is among the best
	hitEntries []int32
}

// newScratch allocates the working memory for an index of numDocs documents and n entries.
func newScratch(numDocs, n int) *scratch {
	return &scratch{
		sum: make([]float64, numDocs), matched: make([]int32, numDocs),
		entryScore: make([]float64, n), bestQ: make([]float64, n), hit: make([]bool, n),
	}
}

// docHit is a scored document.
type docHit struct {
	doc   int32
	score float64
}

// scoreDocs scores every document matching one of the clauses as bleve's disjunction of term
// queries does with the default tf-idf model, and keeps the n best hits in s.top.
//
// A clause's idf is 1 + ln(numDocs / (docFreq+1)) over all documents; its weight is
// (boost × idf)², and queryNorm = 1/sqrt(sum of the clauses' weights). A matching document earns
// sqrt(tf) × norm × idf × (boost × idf × queryNorm) per clause, and the disjunction multiplies
// the sum by the share of clauses matched. The arithmetic is bleve's, operation for operation
// (the norm rounded to float32 as bleve stores it); only the order in which a document's clause
// scores are added differs, so sums may differ in the last bits, as bleve's own do from one
// index build to the next. Ties are broken by document number, where bleve's order depends on
// how its index happened to be built.
func (ix *Index) scoreDocs(s *scratch, n int) {
	s.top = s.top[:0]
	if len(s.clauses) == 0 || ix.numDocs == 0 {
		return
	}
	sumWeights := 0.0
	s.idf = s.idf[:0]
	for _, c := range s.clauses {
		docTerm := c.li.fields[c.kind].count(c.id)
		idf := 1.0 + math.Log(float64(ix.numDocs)/float64(docTerm+1))
		s.idf = append(s.idf, idf)
		w := c.boost * idf
		sumWeights += w * w
	}
	queryNorm := 1.0 / math.Sqrt(sumWeights)
	for i, c := range s.clauses {
		if c.id < 0 {
			continue
		}
		idf := s.idf[i]
		queryWeight := c.boost * idf * queryNorm
		p := &c.li.fields[c.kind]
		from, to := p.start[c.id], p.start[c.id+1]
		docs, tfNorms := p.doc[from:to], p.tfNorm[from:to]
		for j, d := range docs {
			score := tfNorms[j] * idf
			if queryWeight != 1.0 {
				score *= queryWeight
			}
			if s.matched[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.sum[d] += score
			s.matched[d]++
		}
	}
	total := float64(len(s.clauses))
	for _, d := range s.touched {
		hit := docHit{doc: d, score: s.sum[d] * (float64(s.matched[d]) / total)}
		s.sum[d], s.matched[d] = 0, 0
		s.top = pushTop(s.top, hit, n)
	}
	s.touched = s.touched[:0]
}

// worse reports whether a ranks below b: lower score, or the same score and a later document.
func worse(a, b docHit) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

// pushTop adds h to top, a min-heap (worst hit first) of at most n hits.
func pushTop(top []docHit, h docHit, n int) []docHit {
	if len(top) < n {
		top = append(top, h)
		for i := len(top) - 1; i > 0; { // sift up
			parent := (i - 1) / 2
			if !worse(top[i], top[parent]) {
				break
			}
			top[i], top[parent] = top[parent], top[i]
			i = parent
		}
		return top
	}
	if n == 0 || !worse(top[0], h) {
		return top
	}
	top[0] = h
	for i := 0; ; { // sift down
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(top) && worse(top[l], top[m]) {
			m = l
		}
		if r < len(top) && worse(top[r], top[m]) {
			m = r
		}
		if m == i {
			break
		}
		top[i], top[m] = top[m], top[i]
		i = m
	}
	return top
}
