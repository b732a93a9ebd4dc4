package knowledge_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/petitionbot/petitionbot/knowledge"
)

func TestCheckEmbedded(t *testing.T) {
	for _, p := range knowledge.Check(knowledge.Embedded()) {
		t.Error(p)
	}
}

func TestCheckSmallFixture(t *testing.T) {
	for _, p := range knowledge.Check(fixture("small")) {
		t.Error(p)
	}
}

func TestCheckBrokenFixture(t *testing.T) {
	want := []string{
		`entries/Bad_Id.yaml: Bad_Id: line 2: unknown key "notes"`,
		`entries/Bad_Id.yaml: Bad_Id: id "Bad_Id" is not lower-case dot-separated words (like apply.deadline)`,
		`entries/Bad_Id.yaml: Bad_Id: reviewed date is missing`,
		`entries/Bad_Id.yaml: Bad_Id: zh-Hans: language block is missing`,
		`entries/Bad_Id.yaml: Bad_Id: en: language block is missing`,
		`entries/bad.yaml.yaml: -: invalid YAML: line 1: did not find expected ',' or ']'`,
		`entries/empty.file.yaml: -: file is empty`,
		`entries/ok.entry.yaml: ok.entry: related lists the entry itself`,
		`entries/ok.entry.yaml: ok.entry: related id "no.such.entry" does not exist`,
		`entries/ok.entry.yaml: ok.entry: zh-Hans: title is 44 characters long (at most 40)`,
		`entries/ok.entry.yaml: ok.entry: zh-Hans: answer contains an HTML tag <b>`,
		`entries/ok.entry.yaml: ok.entry: zh-Hans: has 2 questions (at least 5)`,
		`entries/ok.entry.yaml: ok.entry: en: language block is missing`,
		`entries/wrong.name.yaml: ok.entry: duplicate id, also in entries/ok.entry.yaml`,
		`entries/wrong.name.yaml: ok.entry: id does not match the file name (want ok.entry.yaml)`,
		`entries/wrong.name.yaml: ok.entry: reviewed "2026-02-30" is not a valid YYYY-MM-DD date`,
		`entries/wrong.name.yaml: ok.entry: en: basis is missing`,
	}
	var got []string
	for _, p := range knowledge.Check(fixture("broken")) {
		got = append(got, p.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check(testdata/broken) (-want +got):\n%s", diff)
	}
}

// entryYAML renders an otherwise valid entry with the given overrides of its zh-Hans and en
// blocks, for rule-by-rule tests.
func entryYAML(id, zhBlock, enBlock string) string {
	return "id: " + id + "\nreviewed: 2026-11-27\nzh-Hans:\n" + zhBlock + "en:\n" + enBlock
}

func block(title, answer, basis string, questions ...string) string {
	var b strings.Builder
	b.WriteString("  title: \"" + title + "\"\n  answer: \"" + answer + "\"\n  basis: \"" + basis + "\"\n  questions:\n")
	for _, q := range questions {
		b.WriteString("    - \"" + q + "\"\n")
	}
	return b.String()
}

func TestCheckRules(t *testing.T) {
	five := []string{"q1", "q2", "q3", "q4", "q5"}
	okZh := block("标题", "答案", "依据", five...)
	okEn := block("Title", "Answer", "Basis", five...)
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"valid", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, okEn)}, nil},
		{"no entries", map[string]string{"other/x.yaml": "id: x"}, []string{"entries: -: no entry files (*.yaml) found"}},
		{"missing id", map[string]string{"entries/a.b.yaml": strings.Replace(entryYAML("a.b", okZh, okEn), "id: a.b\n", "", 1)},
			[]string{"entries/a.b.yaml: -: id is missing"}},
		{"english answer too long", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, block("Title", strings.Repeat("x", 1201), "Basis", five...))},
			[]string{"entries/a.b.yaml: a.b: en: answer is 1201 characters long (at most 1200)"}},
		{"chinese answer too long", map[string]string{"entries/a.b.yaml": entryYAML("a.b", block("标题", strings.Repeat("字", 501), "依据", five...), okEn)},
			[]string{"entries/a.b.yaml: a.b: zh-Hans: answer is 501 characters long (at most 500)"}},
		{"english title too long", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, block(strings.Repeat("t", 81), "Answer", "Basis", five...))},
			[]string{"entries/a.b.yaml: a.b: en: title is 81 characters long (at most 80)"}},
		{"basis too long", map[string]string{"entries/a.b.yaml": entryYAML("a.b", block("标题", "答案", strings.Repeat("法", 201), five...), okEn)},
			[]string{"entries/a.b.yaml: a.b: zh-Hans: basis is 201 characters long (at most 200)"}},
		{"question too long and repeated", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh,
			block("Title", "Answer", "Basis", "q1", "q1", "q3", "q4", strings.Repeat("q", 121)))},
			[]string{
				"entries/a.b.yaml: a.b: en: question 2 repeats an earlier one",
				"entries/a.b.yaml: a.b: en: question 5 is 121 characters long (at most 120)",
			}},
		{"html in answer", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, block("Title", "See <a href='x'>here</a>", "Basis", five...))},
			[]string{"entries/a.b.yaml: a.b: en: answer contains an HTML tag <a href='x'>"}},
		{"comparison signs are not html", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, block("Title", "if a < b and c > d", "Basis", five...))}, nil},
		{"wrong type", map[string]string{"entries/a.b.yaml": entryYAML("a.b", okZh, okEn) + "tags: {x: 1}\n"},
			[]string{"entries/a.b.yaml: a.b: line 23: cannot unmarshal !!map into []string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			var got []string
			for _, p := range knowledge.Check(fsys) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    knowledge.Problem
		want string
	}{
		{knowledge.Problem{File: "entries/a.yaml", ID: "a.b", Message: "bad"}, "entries/a.yaml: a.b: bad"},
		{knowledge.Problem{File: "entries/a.yaml", Message: "bad"}, "entries/a.yaml: -: bad"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
