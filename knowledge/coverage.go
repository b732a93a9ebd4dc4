package knowledge

import (
	"slices"
	"strings"
)

// coverage is the confidence that the entry at pos answers the analysed question q: the weighted
// share of the question's terms found in the entry (see [Index.termWeight]), in the best of the
// question's languages. A term found only in the answer earns part of its weight; a term standing
// for a synonym of a word in the entry earns its full weight.
func (ix *Index) coverage(q []langQuery, pos int) float64 {
	best := 0.0
	for i := range q {
		if c := ix.coverageIn(&q[i], pos); c > best {
			best = c
		}
	}
	return best
}

// coverageIn computes coverage for one language.
func (ix *Index) coverageIn(q *langQuery, pos int) float64 {
	ts := &q.li.sets[pos]
	if len(q.typed) == 0 || !ts.present {
		return 0
	}
	viaSynonym := q.synonymTerms(ts)
	var total, got float64
	for i, t := range q.typed { // in byte order: a fixed summation order
		w := t.weight
		total += w
		switch {
		case t.id >= 0 && contains(ts.core, t.id), viaSynonym[i]:
			got += w
		case t.id >= 0 && contains(ts.answer, t.id):
			got += w * ix.p.answerCover
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// phrasingCoverage measures how closely the analysed question q, with its synonym expansion,
// restates one of the entry's own phrasings (its title or one of its questions): for each
// phrasing, the weighted share of its terms that the question contains, at best. The entry's
// phrasings carry its key content, so a question that shares only generic domain words with all
// of them (检察院, 申请, 怎么办…) is not about this entry, however many of those words it repeats.
func (ix *Index) phrasingCoverage(q []langQuery, pos int) float64 {
	best := 0.0
	for i := range q {
		lq := &q[i]
		query := lq.ids()
		for _, phrasing := range lq.li.sets[pos].phrasings {
			var total, got float64
			for _, id := range phrasing { // ids in term byte order: a fixed summation order
				w := lq.li.weight[id]
				total += w
				if contains(query, id) {
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

// ids returns the sorted ids of the question's typed and expansion terms that some entry has.
func (q *langQuery) ids() []int32 {
	out := make([]int32, 0, len(q.typed)+len(q.extra))
	for _, list := range [][]qterm{q.typed, q.extra} {
		for _, t := range list {
			if t.id >= 0 {
				out = append(out, t.id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// synonymTerms marks the question's typed terms that belong to a synonym-group word of the
// question when another member of that group, not in the question, occurs in the entry's text.
// The result is indexed like q.typed.
func (q *langQuery) synonymTerms(ts *termSet) []bool {
	out := make([]bool, len(q.typed))
	for _, group := range q.li.syn.group {
		inEntry := false
		for _, w := range group {
			if !hasBit(q.synIn, w) && hasBit(ts.synIn, w) {
				inEntry = true
				break
			}
		}
		if !inEntry {
			continue
		}
		for _, w := range group {
			if !hasBit(q.synIn, w) {
				continue
			}
			for _, term := range q.li.syn.terms[w] {
				if i, ok := slices.BinarySearchFunc(q.typed, term, func(t qterm, s string) int {
					return strings.Compare(t.term, s)
				}); ok {
					out[i] = true
				}
			}
		}
	}
	return out
}
