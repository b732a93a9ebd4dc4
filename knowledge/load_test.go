package knowledge_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/petitionbot/petitionbot/knowledge"
)

func TestLoadEmbedded(t *testing.T) {
	entries := mustLoad(t, knowledge.Embedded())
	if len(entries) == 0 {
		t.Fatal("the embedded base has no entries")
	}
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	if !sort.StringsAreSorted(ids) {
		t.Errorf("entries are not sorted by id: %v", ids)
	}
}

func TestLoadSmall(t *testing.T) {
	entries := mustLoad(t, fixture("small"))
	if len(entries) != 3 {
		t.Fatalf("got %d entries, want 3", len(entries))
	}
	want := knowledge.Entry{
		ID:       "demo.fees",
		Reviewed: "2026-11-27",
		Tags:     []string{"demo", "fees"},
		Related:  []string{"demo.deadline"},
		Text: map[string]knowledge.Text{
			knowledge.LangZh: {
				Title:     "申请监督要交钱吗",
				Answer:    "不收费。检察院办理监督申请不收取案件受理费。",
				Basis:     "示例依据",
				Questions: []string{"申请监督收费吗", "找检察院要花多少钱", "检察院收不收受理费", "申请监督免费吗", "监督程序需要交费用吗"},
			},
			knowledge.LangEn: {
				Title:  "Does applying cost anything?",
				Answer: "No. The procuratorate charges no fee for a supervision application.",
				Basis:  "Example basis",
				Questions: []string{"is there a fee to apply for supervision", "how much does the procuratorate charge",
					"do I have to pay the procuratorate", "is supervision free", "any costs for applying"},
			},
		},
	}
	if diff := cmp.Diff(want, entries[1]); diff != "" {
		t.Errorf("entry demo.fees (-want +got):\n%s", diff)
	}
}

func TestLoadRejectsBrokenBase(t *testing.T) {
	_, err := knowledge.Load(fixture("broken"))
	if err == nil {
		t.Fatal("Load of a broken base succeeded")
	}
	if !strings.Contains(err.Error(), "entries/ok.entry.yaml: ok.entry: related id \"no.such.entry\" does not exist") {
		t.Errorf("error does not list the problems:\n%v", err)
	}
}

func TestEntryIn(t *testing.T) {
	zh := knowledge.Text{Title: "标题"}
	en := knowledge.Text{Title: "Title"}
	tests := []struct {
		name  string
		entry knowledge.Entry
		lang  string
		want  knowledge.Text
	}{
		{"chinese", knowledge.Entry{Text: map[string]knowledge.Text{knowledge.LangZh: zh, knowledge.LangEn: en}}, knowledge.LangZh, zh},
		{"english", knowledge.Entry{Text: map[string]knowledge.Text{knowledge.LangZh: zh, knowledge.LangEn: en}}, knowledge.LangEn, en},
		{"unknown language falls back", knowledge.Entry{Text: map[string]knowledge.Text{knowledge.LangZh: zh, knowledge.LangEn: en}}, "ru", zh},
		{"missing english falls back", knowledge.Entry{Text: map[string]knowledge.Text{knowledge.LangZh: zh}}, knowledge.LangEn, zh},
		{"nothing at all", knowledge.Entry{}, knowledge.LangEn, knowledge.Text{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.entry.In(tt.lang)); diff != "" {
				t.Errorf("In(%q) (-want +got):\n%s", tt.lang, diff)
			}
		})
	}
}
