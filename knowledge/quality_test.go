package knowledge_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/knowledge"
	"go.yaml.in/yaml/v3"
)

// questionSetPath is the quality set written independently of the entries.
const questionSetPath = "testdata/questions.yaml"

// Quality bars and set-size minimums.
const (
	minTop1          = 0.85
	minTop3          = 0.95
	minOutOfScope    = 0.90
	minInScope       = 150
	minOutOfScopeSet = 30
	minEnglishShare  = 0.15
	maxEnglishShare  = 0.30
)

type question struct {
	Lang string `yaml:"lang"`
	Q    string `yaml:"q"`
	ID   string `yaml:"id"`
}

type questionSet struct {
	InScope    []question `yaml:"in_scope"`
	OutOfScope []question `yaml:"out_of_scope"`
}

// loadQuestionSet reads the quality set, skipping the test only while the file does not exist.
func loadQuestionSet(t *testing.T) questionSet {
	t.Helper()
	data, err := os.ReadFile(questionSetPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet: the quality set is written separately", questionSetPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var set questionSet
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		t.Fatalf("parse %s: %v", questionSetPath, err)
	}
	return set
}

// phrasingKey folds a phrasing for the "written independently" comparison: normalised, with no
// spaces at all.
func phrasingKey(s string) string { return strings.ReplaceAll(knowledge.Normalize(s), " ", "") }

func TestQualitySet(t *testing.T) {
	set := loadQuestionSet(t)
	entries := mustLoad(t, knowledge.Embedded())
	ix := mustIndex(t, entries)

	own := map[string]string{} // folded phrasing → entry id
	for _, e := range entries {
		for _, lang := range knowledge.Languages() {
			text := e.In(lang)
			for _, p := range append([]string{text.Title}, text.Questions...) {
				own[phrasingKey(p)] = e.ID
			}
		}
	}

	var english int
	for _, q := range append(append([]question(nil), set.InScope...), set.OutOfScope...) {
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
	if len(set.InScope) < minInScope {
		t.Errorf("%d in-scope questions, want at least %d", len(set.InScope), minInScope)
	}
	if len(set.OutOfScope) < minOutOfScopeSet {
		t.Errorf("%d out-of-scope questions, want at least %d", len(set.OutOfScope), minOutOfScopeSet)
	}
	if share := float64(english) / float64(max(1, len(set.InScope))); share < minEnglishShare || share > maxEnglishShare {
		t.Errorf("English share of in-scope questions is %.0f%%, want about a fifth (%.0f–%.0f%%)",
			100*share, 100*minEnglishShare, 100*maxEnglishShare)
	}

	var top1, top3 int
	for _, q := range set.InScope {
		res := ix.Search(q.Lang, q.Q)
		rank := -1
		for i, m := range res.Matches {
			if m.ID == q.ID {
				rank = i
				break
			}
		}
		switch {
		case rank == 0 && res.Answered:
			top1++
		case rank == 0:
			t.Logf("not answered (right entry first): %s %q", q.ID, q.Q)
		default:
			t.Logf("miss: want %s at rank %d, got %v (answered %v): %q", q.ID, rank+1, ids(res.Matches), res.Answered, q.Q)
		}
		if rank >= 0 && rank < 3 {
			top3++
		}
	}
	var refused int
	for _, q := range set.OutOfScope {
		res := ix.Search(q.Lang, q.Q)
		if !res.Answered {
			refused++
		} else {
			t.Logf("out-of-scope question answered with %s: %q", res.Matches[0].ID, q.Q)
		}
	}

	n := float64(max(1, len(set.InScope)))
	r1, r3 := float64(top1)/n, float64(top3)/n
	ro := float64(refused) / float64(max(1, len(set.OutOfScope)))
	t.Logf("quality: top-1 %.1f%% (%d/%d), top-3 %.1f%% (%d/%d), out-of-scope %.1f%% (%d/%d)",
		100*r1, top1, len(set.InScope), 100*r3, top3, len(set.InScope), 100*ro, refused, len(set.OutOfScope))
	if r1 < minTop1 {
		t.Errorf("top-1 %.1f%% is below %.0f%%", 100*r1, 100*minTop1)
	}
	if r3 < minTop3 {
		t.Errorf("top-3 %.1f%% is below %.0f%%", 100*r3, 100*minTop3)
	}
	if ro < minOutOfScope {
		t.Errorf("out-of-scope accuracy %.1f%% is below %.0f%%", 100*ro, 100*minOutOfScope)
	}
}

// ids lists the ids of matches.
func ids(ms []knowledge.Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
