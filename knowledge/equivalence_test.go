package knowledge

import (
	"cmp"
	"math"
	"os"
	"slices"
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
// Answered and OutOfScope, scores equal to 1e-9 (see sameResult for ties).
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
			compared, tied := 0, 0
			for _, q := range questions {
				for _, lang := range Languages() {
					compared++
					got, want := ix.Search(lang, q), ref.refSearch(lang, q)
					switch {
					case sameResult(got, want):
					case cutoffTied(ix, lang, q):
						tied++
					default:
						t.Errorf("%s %.40q:\n got %+v\nwant %+v", lang, q, got, want)
					}
				}
			}
			t.Logf("%d searches compared, %d differ only by a tie at the %dth document", compared, tied, ix.p.hits)
		})
	}
}

// sameResult reports whether two results agree: the same flags, and positionwise the same
// match ids with scores equal to 1e-9 relative. Scores that close count as a tie, which the
// engines may order differently (each adds a document's clause scores in its own order, so tied
// scores differ in the last bits): tied matches may swap places, a match tied with the last one
// may be replaced by another, and when the two best tie the flags (computed on the best) may
// differ.
func sameResult(a, b Result) bool {
	if len(a.Matches) != len(b.Matches) {
		return false
	}
	n := len(a.Matches)
	for i := range n {
		if !near(a.Matches[i].Score, b.Matches[i].Score) {
			return false
		}
	}
	topTie := n > 1 && near(b.Matches[0].Score, b.Matches[1].Score)
	if !topTie && (a.Answered != b.Answered || a.OutOfScope != b.OutOfScope) {
		return false
	}
	for i, m := range a.Matches {
		if m.ID == b.Matches[i].ID {
			continue
		}
		j := slices.IndexFunc(b.Matches, func(x Match) bool { return x.ID == m.ID })
		if j < 0 && !near(m.Score, b.Matches[n-1].Score) || j >= 0 && !near(m.Score, b.Matches[j].Score) {
			return false
		}
	}
	return true
}

// cutoffTied reports whether, for the question, the last of the p.hits best documents (those
// the entry scores count) ties with the next one. Which of them bleve keeps depends on how its index
// happened to be built (two builds of the same base can disagree), so the engines may
// legitimately differ on such a question.
func cutoffTied(ix *Index, lang, question string) bool {
	if lang != LangEn {
		lang = LangZh
	}
	norm := Normalize(question)
	if norm == "" {
		return false
	}
	q := ix.analyseQuery(queryLangs(lang, norm, ix.p.otherLang), norm, ix.syn.expand(norm))
	s := newScratch(ix.numDocs, len(ix.entries))
	ix.clauses(q, s)
	ix.scoreDocs(s, ix.p.hits+1)
	if len(s.top) <= ix.p.hits {
		return false
	}
	slices.SortFunc(s.top, func(a, b docHit) int { return cmp.Compare(b.score, a.score) })
	return near(s.top[ix.p.hits-1].score, s.top[ix.p.hits].score)
}

// near reports whether two scores are equal to 1e-9 relative.
func near(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)) }

// FuzzMatchesBleve checks on the embedded base that Index and the bleve engine agree on any
// question (see TestMatchesBleve).
func FuzzMatchesBleve(f *testing.F) {
	entries, err := Load(Embedded())
	if err != nil {
		f.Fatal(err)
	}
	ix, err := NewIndex(entries)
	if err != nil {
		f.Fatal(err)
	}
	ref, err := newRefIndex(entries)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ref.close() })
	for _, q := range equivalenceQuestions {
		f.Add(LangZh, q)
		f.Add(LangEn, q)
	}
	f.Add("0", "0000000000000 000000 2 3 000 0 7 1 9 C B X0 X1 8") // two entries tie at rank 2
	f.Add("0", "检察督要不1 0")                                         // documents tie at the cutoff
	f.Fuzz(func(t *testing.T, lang, q string) {
		got, want := ix.Search(lang, q), ref.refSearch(lang, q)
		if !sameResult(got, want) && !cutoffTied(ix, lang, q) {
			t.Errorf("%s %q:\n got %+v\nwant %+v", lang, q, got, want)
		}
	})
}
