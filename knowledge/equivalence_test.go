package knowledge

import (
	"math"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// equivalenceQuestions are questions besides the quality set that take the unusual paths: both
// scripts, synonyms, out-of-scope words, no domain word, nothing analysable, many terms.
var equivalenceQuestions = []string{
	"申请监督要收费吗？", "找检察院监督要不要掏钱", "what does supervision cost", "ＷＨＯ ａｒｅ the hearing officers",
	"听证会是公开的吗", "are hearings public", "明天贵阳下雨吗", "how do I file for divorce", "离婚 行政 判决",
	"检察院", "申请监督的期限和材料和费用和律师", "procuratorate application", "12309", "app 怎么 申请 supervision",
	"？？？！！", "😀😀😀", strings.Repeat("再审", 5000), "the of and", "律师代理人补偿款征地款",
	"我对法院的判决不服，已经申请过再审被驳回了，现在想找检察院申请监督，需要准备哪些材料，有没有期限，要不要交钱，能不能请律师代理，检察院多久给答复，结果会怎么通知我，如果检察院不支持我的申请，我还能怎么办",
}

// equivalenceSet reads the quality set's questions, or none while it does not exist.
func equivalenceSet(t *testing.T) []struct{ Lang, Q string } {
	t.Helper()
	data, err := os.ReadFile("testdata/questions.yaml")
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var set map[string][]struct{ Lang, Q string }
	if err := yaml.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	var out []struct{ Lang, Q string }
	for _, section := range []string{"in_scope", "out_of_scope", "unanswerable"} {
		out = append(out, set[section]...)
	}
	return out
}

// TestMatchesBleve checks that Index returns what the bleve engine it replaced returns, for every
// question of the quality set and the questions above, asked with either interface language, on
// the embedded base and the small fixture: the same matches in the same order, the same
// Answered and OutOfScope. Scores may differ in the last bits (bleve sums a document's clause
// scores in an order of its own).
func TestMatchesBleve(t *testing.T) {
	var questions []string
	for _, q := range equivalenceSet(t) {
		questions = append(questions, q.Q)
	}
	questions = append(questions, equivalenceQuestions...)
	for name, fsys := range map[string]func() ([]Entry, error){
		"embedded": func() ([]Entry, error) { return Load(Embedded()) },
		"small":    func() ([]Entry, error) { return Load(os.DirFS("testdata/small")) },
	} {
		t.Run(name, func(t *testing.T) {
			entries, err := fsys()
			if err != nil {
				t.Fatal(err)
			}
			ix, err := NewIndex(entries)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := newRefIndex(entries)
			if err != nil {
				t.Fatal(err)
			}
			defer ref.close()
			compared := 0
			for _, q := range questions {
				for _, lang := range Languages() {
					compared++
					got, want := ix.Search(lang, q), ref.refSearch(lang, q)
					if !sameResult(got, want) {
						t.Errorf("%s %.40q:\n got %+v\nwant %+v", lang, q, got, want)
					}
				}
			}
			t.Logf("%d searches compared", compared)
		})
	}
}

// sameResult reports whether two results agree: same flags, same match ids in the same order,
// scores equal to 1e-9 relative.
func sameResult(a, b Result) bool {
	if a.Answered != b.Answered || a.OutOfScope != b.OutOfScope || len(a.Matches) != len(b.Matches) {
		return false
	}
	for i := range a.Matches {
		x, y := a.Matches[i], b.Matches[i]
		if x.ID != y.ID || math.Abs(x.Score-y.Score) > 1e-9*math.Abs(y.Score) {
			return false
		}
	}
	return true
}
