package knowledge_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/knowledge"
	"go.yaml.in/yaml/v3"
)

// The quality sets: questionSetPath is the main set, written independently of the entries;
// heldOutPath was written after the entries were tuned on the main set and is never tuned
// against (README.md, "Question set").
const (
	questionSetPath = "testdata/questions.yaml"
	heldOutPath     = "testdata/heldout.yaml"
)

// Quality bars and set-size minimums.
const (
	minTop1       = 0.85
	minTop3       = 0.95
	minOutOfScope = 0.90
	// minUnanswerable is the share of in-domain questions no entry covers that must get
	// "not sure". It is a regression floor, not a target: lexical retrieval measured 52 %
	// and cannot tell "诉讼费" from a paraphrase of the fees entry (knowledge/README.md).
	minUnanswerable = 0.45
	maxWrongAnswer  = 0.08 // share of in-scope questions answered with a wrong entry
	// maxEnglishGap is how far English top-1 may trail Chinese top-1: a question written in
	// English must be answered about as well as one written in Chinese.
	maxEnglishGap      = 0.05
	minInScope         = 150
	minOutOfScopeSet   = 30
	minUnanswerableSet = 40
	// The English share of in-scope questions. English top-1 is compared with Chinese top-1
	// (maxEnglishGap), so English needs enough questions, short colloquial ones included, for a
	// gap of 5 points to mean something: at least minEnglishInScope, each under one point.
	minEnglishShare   = 0.25
	maxEnglishShare   = 0.50
	minEnglishInScope = 100
)

// Regression floors of the held-out set, a few points under what it measured when it was
// written (top-1 85.7 %, top-3 95.2 %, wrong 7.6 %, out of scope 100 %; README.md): they catch a
// change that makes retrieval worse on questions nobody tuned for. Its 10 unanswerable
// questions are reported but not held to a floor: too few for a stable rate.
const (
	heldOutMinTop1       = 0.80
	heldOutMinTop3       = 0.90
	heldOutMaxWrong      = 0.12
	heldOutMinOutOfScope = 0.80
)

type question struct {
	Lang string `yaml:"lang"`
	Q    string `yaml:"q"`
	ID   string `yaml:"id"`
}

type questionSet struct {
	InScope      []question `yaml:"in_scope"`
	OutOfScope   []question `yaml:"out_of_scope"`
	Unanswerable []question `yaml:"unanswerable"` // in the domain, but no entry answers them
}

// loadQuestionSet reads a quality set, skipping the test only while the file does not exist.
func loadQuestionSet(t *testing.T, path string) questionSet {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet: the quality set is written separately", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var set questionSet
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return set
}

// phrasingKey folds a phrasing for the "written independently" comparison: normalised, with no
// spaces at all.
func phrasingKey(s string) string { return strings.ReplaceAll(knowledge.Normalize(s), " ", "") }

// checkSet reports questions with an unknown language or an unknown expected entry, and
// questions that repeat one of the entries' own phrasings, and returns the number of English
// in-scope questions.
func checkSet(t *testing.T, ix *knowledge.Index, set questionSet) (english int) {
	t.Helper()
	own := map[string]string{} // folded phrasing → entry id
	for _, e := range ix.Entries() {
		for _, lang := range knowledge.Languages() {
			text := e.In(lang)
			for _, p := range append([]string{text.Title}, text.Questions...) {
				own[phrasingKey(p)] = e.ID
			}
		}
	}
	all := append(append(append([]question(nil), set.InScope...), set.OutOfScope...), set.Unanswerable...)
	for _, q := range all {
		if q.Lang != knowledge.LangZh && q.Lang != knowledge.LangEn {
			t.Errorf("%q: lang %q is neither zh-Hans nor en", q.Q, q.Lang)
		}
		if id, ok := own[phrasingKey(q.Q)]; ok {
			t.Errorf("%q repeats a phrasing of entry %s; the set must be written independently", q.Q, id)
		}
	}
	for _, q := range set.InScope {
		if _, ok := ix.Entry(q.ID); !ok {
			t.Errorf("%q expects unknown entry %q", q.Q, q.ID)
		}
		if q.Lang == knowledge.LangEn {
			english++
		}
	}
	return english
}

// logByLang logs the outcomes of the whole set and of each language, and returns them by
// language.
func logByLang(t *testing.T, name string, ix *knowledge.Index, set questionSet, full metrics) map[string]metrics {
	t.Helper()
	t.Logf("%s: %s", name, full)
	byLang := map[string]metrics{}
	for _, lang := range knowledge.Languages() {
		byLang[lang] = measure(ix, set, -1, lang, nil)
		t.Logf("%s %s: %s", name, lang, byLang[lang])
	}
	return byLang
}

func TestQualitySet(t *testing.T) {
	set := loadQuestionSet(t, questionSetPath)
	ix := mustIndex(t, mustLoad(t, knowledge.Embedded()))

	english := checkSet(t, ix, set)
	if len(set.InScope) < minInScope {
		t.Errorf("%d in-scope questions, want at least %d", len(set.InScope), minInScope)
	}
	if len(set.OutOfScope) < minOutOfScopeSet {
		t.Errorf("%d out-of-scope questions, want at least %d", len(set.OutOfScope), minOutOfScopeSet)
	}
	if share := float64(english) / float64(max(1, len(set.InScope))); share < minEnglishShare || share > maxEnglishShare {
		t.Errorf("English share of in-scope questions is %.0f%%, want %.0f–%.0f%%",
			100*share, 100*minEnglishShare, 100*maxEnglishShare)
	}
	if english < minEnglishInScope {
		t.Errorf("%d English in-scope questions, want at least %d", english, minEnglishInScope)
	}
	if len(set.Unanswerable) < minUnanswerableSet {
		t.Errorf("%d unanswerable questions, want at least %d", len(set.Unanswerable), minUnanswerableSet)
	}

	full := measure(ix, set, -1, "", t.Logf)
	byLang := logByLang(t, "quality", ix, set, full)
	for half := range 2 { // tune on one half, check on the other: see README.md, "Performance"
		t.Logf("half %d: %s", half, measure(ix, set, half, "", nil))
	}
	if full.rTop1() < minTop1 {
		t.Errorf("top-1 %.1f%% is below %.0f%%", 100*full.rTop1(), 100*minTop1)
	}
	if full.rTop3() < minTop3 {
		t.Errorf("top-3 %.1f%% is below %.0f%%", 100*full.rTop3(), 100*minTop3)
	}
	if full.wrongRate() > maxWrongAnswer {
		t.Errorf("wrong-answer rate %.1f%% is above %.0f%%", 100*full.wrongRate(), 100*maxWrongAnswer)
	}
	if full.rOutOfScope() < minOutOfScope {
		t.Errorf("out-of-scope accuracy %.1f%% is below %.0f%%", 100*full.rOutOfScope(), 100*minOutOfScope)
	}
	if full.rUnanswerable() < minUnanswerable {
		t.Errorf("unanswerable accuracy %.1f%% is below %.0f%%", 100*full.rUnanswerable(), 100*minUnanswerable)
	}
	zh, en := byLang[knowledge.LangZh].rTop1(), byLang[knowledge.LangEn].rTop1()
	if en < zh-maxEnglishGap {
		t.Errorf("English top-1 %.1f%% trails Chinese top-1 %.1f%% by more than %.0f points",
			100*en, 100*zh, 100*maxEnglishGap)
	}
}

// TestHeldOutSet measures the held-out set, which nothing was tuned on, and holds it to
// regression floors below the main set's bars (see heldOutMinTop1).
func TestHeldOutSet(t *testing.T) {
	set := loadQuestionSet(t, heldOutPath)
	ix := mustIndex(t, mustLoad(t, knowledge.Embedded()))
	checkSet(t, ix, set)
	full := measure(ix, set, -1, "", t.Logf)
	logByLang(t, "held out", ix, set, full)
	if full.rTop1() < heldOutMinTop1 {
		t.Errorf("held-out top-1 %.1f%% is below %.0f%%", 100*full.rTop1(), 100*heldOutMinTop1)
	}
	if full.rTop3() < heldOutMinTop3 {
		t.Errorf("held-out top-3 %.1f%% is below %.0f%%", 100*full.rTop3(), 100*heldOutMinTop3)
	}
	if full.wrongRate() > heldOutMaxWrong {
		t.Errorf("held-out wrong-answer rate %.1f%% is above %.0f%%", 100*full.wrongRate(), 100*heldOutMaxWrong)
	}
	if full.rOutOfScope() < heldOutMinOutOfScope {
		t.Errorf("held-out out-of-scope accuracy %.1f%% is below %.0f%%", 100*full.rOutOfScope(), 100*heldOutMinOutOfScope)
	}
}

// metrics counts the outcomes of one pass over (part of) the quality set.
type metrics struct {
	inScope, top1, top3, wrong int // in scope: asked, right and answered, right in top 3, answered wrong
	outOfScope, refused        int // out of scope: asked, not answered
	unanswerable, unsure       int // unanswerable: asked, not answered
}

// The rates: right entry first and answered, right entry in the top 3, out-of-scope questions
// not answered, unanswerable questions not answered.

// ratio is num/den, or 0 for an empty denominator.
func ratio(num, den int) float64 { return float64(num) / float64(max(1, den)) }

func (m metrics) rTop1() float64         { return ratio(m.top1, m.inScope) }
func (m metrics) rTop3() float64         { return ratio(m.top3, m.inScope) }
func (m metrics) wrongRate() float64     { return ratio(m.wrong, m.inScope) }
func (m metrics) rOutOfScope() float64   { return ratio(m.refused, m.outOfScope) }
func (m metrics) rUnanswerable() float64 { return ratio(m.unsure, m.unanswerable) }

// String formats the rates with their counts.
func (m metrics) String() string {
	return fmt.Sprintf("top-1 %.1f%% (%d/%d), top-3 %.1f%% (%d/%d), wrong-answer rate %.1f%% (%d/%d), "+
		"out-of-scope %.1f%% (%d/%d), unanswerable %.1f%% (%d/%d)",
		100*m.rTop1(), m.top1, m.inScope, 100*m.rTop3(), m.top3, m.inScope, 100*m.wrongRate(), m.wrong, m.inScope,
		100*m.rOutOfScope(), m.refused, m.outOfScope, 100*m.rUnanswerable(), m.unsure, m.unanswerable)
}

// measure searches the questions of set and counts the outcomes. half 0 or 1 keeps only the
// questions at even or odd positions of each section; -1 keeps all. lang, when not empty, keeps
// only the questions written in that language. logf, when not nil, reports every failure.
func measure(ix *knowledge.Index, set questionSet, half int, lang string, logf func(string, ...any)) metrics {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	keep := func(i int, q question) bool { return (half < 0 || i%2 == half) && (lang == "" || q.Lang == lang) }
	var m metrics
	for i, q := range set.InScope {
		if !keep(i, q) {
			continue
		}
		m.inScope++
		res := ix.Search(q.Lang, q.Q)
		rank := -1
		for i, r := range res.Matches {
			if r.ID == q.ID {
				rank = i
				break
			}
		}
		switch {
		case rank == 0 && res.Answered:
			m.top1++
		case rank == 0:
			logf("not answered (right entry first): %s %q", q.ID, q.Q)
		case res.Answered:
			m.wrong++
			logf("WRONG answer: want %s at rank %d, got %v: %q", q.ID, rank+1, ids(res.Matches), q.Q)
		default:
			logf("miss: want %s at rank %d, got %v (not answered): %q", q.ID, rank+1, ids(res.Matches), q.Q)
		}
		if rank >= 0 && rank < 3 {
			m.top3++
		}
	}
	for i, q := range set.OutOfScope {
		if !keep(i, q) {
			continue
		}
		m.outOfScope++
		if res := ix.Search(q.Lang, q.Q); !res.Answered {
			m.refused++
		} else {
			logf("out-of-scope question answered with %s: %q", res.Matches[0].ID, q.Q)
		}
	}
	for i, q := range set.Unanswerable {
		if !keep(i, q) {
			continue
		}
		m.unanswerable++
		if res := ix.Search(q.Lang, q.Q); !res.Answered {
			m.unsure++
		} else {
			logf("unanswerable question answered with %s: %q", res.Matches[0].ID, q.Q)
		}
	}
	return m
}

// ids lists the ids of matches.
func ids(ms []knowledge.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
