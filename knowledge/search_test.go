package knowledge_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/petitionbot/petitionbot/knowledge"
)

func TestSearchSmall(t *testing.T) {
	ix := mustIndex(t, mustLoad(t, fixture("small")))
	tests := []struct {
		name, lang, q string
		wantTop       string // "" when no match is expected
		wantAnswered  bool
		wantOut       bool
	}{
		{"chinese", knowledge.LangZh, "申请监督要收费吗？", "demo.fees", true, false},
		{"chinese synonym", knowledge.LangZh, "找检察院监督要不要掏钱", "demo.fees", true, false},
		{"english", knowledge.LangEn, "Is there a deadline to apply for supervision?", "demo.deadline", true, false},
		{"english synonym", knowledge.LangEn, "what does supervision cost", "demo.fees", true, false},
		{"full-width english", knowledge.LangEn, "ＷＨＯ ａｒｅ the hearing officers", "demo.hearing", true, false},
		{"chinese question, english UI", knowledge.LangEn, "听证会是公开的吗", "demo.hearing", true, false},
		{"english question, chinese UI", knowledge.LangZh, "are hearings public", "demo.hearing", true, false},
		{"unknown UI language", "ru", "申请监督的期限是多久", "demo.deadline", true, false},
		{"weather", knowledge.LangZh, "明天贵阳下雨吗", "", false, true},
		{"divorce", knowledge.LangEn, "how do I file for divorce", "", false, true},
		{"empty", knowledge.LangZh, "", "", false, true},
		{"punctuation only", knowledge.LangZh, "？？？！！", "", false, true},
		{"emoji only", knowledge.LangEn, "😀😀😀", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ix.Search(tt.lang, tt.q)
			top := ""
			if len(res.Matches) > 0 {
				top = res.Matches[0].ID
			}
			if tt.wantTop != "" && top != tt.wantTop {
				t.Errorf("top match = %q, want %q (all: %v)", top, tt.wantTop, res.Matches)
			}
			if res.Answered != tt.wantAnswered || res.OutOfScope != tt.wantOut {
				t.Errorf("Answered, OutOfScope = %v, %v; want %v, %v (matches %v)",
					res.Answered, res.OutOfScope, tt.wantAnswered, tt.wantOut, res.Matches)
			}
		})
	}
}

func TestSearchResultShape(t *testing.T) {
	ix := mustIndex(t, mustLoad(t, knowledge.Embedded()))
	for _, q := range []string{"检察院", "申请监督的期限和材料和费用和律师", "procuratorate application", strings.Repeat("再审", 5000)} {
		res := ix.Search(knowledge.LangZh, q)
		if len(res.Matches) > 5 {
			t.Errorf("%.20q: %d matches, want at most 5", q, len(res.Matches))
		}
		if !sort.SliceIsSorted(res.Matches, func(i, j int) bool { return res.Matches[i].Score > res.Matches[j].Score }) {
			t.Errorf("%.20q: matches not best first: %v", q, res.Matches)
		}
		seen := map[string]bool{}
		for _, m := range res.Matches {
			if _, ok := ix.Entry(m.ID); !ok || seen[m.ID] {
				t.Errorf("%.20q: unknown or repeated id %q", q, m.ID)
			}
			seen[m.ID] = true
		}
		if res.Answered && res.OutOfScope {
			t.Errorf("%.20q: both Answered and OutOfScope", q)
		}
	}
}

func TestIndexEntries(t *testing.T) {
	entries := mustLoad(t, fixture("small"))
	ix := mustIndex(t, entries)
	if diff := cmp.Diff(entries, ix.Entries()); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}
	got, ok := ix.Entry("demo.hearing")
	if !ok || got.ID != "demo.hearing" {
		t.Errorf("Entry(demo.hearing) = %q, %v", got.ID, ok)
	}
	if _, ok := ix.Entry("no.such"); ok {
		t.Error("Entry(no.such) reported found")
	}
}

func TestNewIndexRejectsDuplicateIDs(t *testing.T) {
	entries := mustLoad(t, fixture("small"))
	if _, err := knowledge.NewIndex(append(entries, entries[0])); err == nil {
		t.Error("NewIndex accepted a duplicate id")
	}
}

func TestIndexEmpty(t *testing.T) {
	ix := mustIndex(t, nil)
	if res := ix.Search(knowledge.LangZh, "申请监督要交钱吗"); len(res.Matches) != 0 || res.Answered {
		t.Errorf("empty index: %+v", res)
	}
}

func TestSearchConcurrent(t *testing.T) {
	ix := mustIndex(t, mustLoad(t, knowledge.Embedded()))
	want := ix.Search(knowledge.LangZh, "申请监督要交钱吗")
	done := make(chan knowledge.Result)
	for range 8 {
		go func() { done <- ix.Search(knowledge.LangZh, "申请监督要交钱吗") }()
	}
	for range 8 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("concurrent result differs (-want +got):\n%s", diff)
		}
	}
}

func TestSearchClosed(t *testing.T) {
	ix, err := knowledge.NewIndex(mustLoad(t, fixture("small")))
	if err != nil {
		t.Fatal(err)
	}
	if res := ix.Search(knowledge.LangZh, "申请监督要收费吗"); len(res.Matches) == 0 {
		t.Fatal("open index: no matches")
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if res := ix.Search(knowledge.LangZh, "申请监督要收费吗"); len(res.Matches) != 0 || res.Answered {
		t.Errorf("closed index: %+v, want no matches", res)
	}
	if _, ok := ix.Entry("demo.fees"); !ok {
		t.Error("closed index: Entry(demo.fees) not found")
	}
}
