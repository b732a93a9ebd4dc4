package knowledge_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/knowledge"
)

// benchQuestions are realistic queries in both languages.
var benchQuestions = []struct{ lang, q string }{
	{knowledge.LangZh, "法院驳回再审以后多久内要找检察院申请监督"},
	{knowledge.LangZh, "找检察院申请监督要花钱吗"},
	{knowledge.LangZh, "听证会是什么流程，我到时候在会上要说什么"},
	{knowledge.LangZh, "明天贵阳会下雨吗"},
	{knowledge.LangEn, "How long does the procuratorate take to review my application?"},
	{knowledge.LangEn, "Do I need a lawyer to apply for supervision?"},
}

// synthetic generates n entries whose text combines domain words, so the index has realistic
// term statistics at a larger size.
func synthetic(n int) []knowledge.Entry {
	r := rand.New(rand.NewPCG(1, 2))
	zhWords := strings.Fields("检察院 法院 再审 申请 监督 期限 材料 律师 费用 听证 抗诉 判决 裁定 执行 补偿 拆迁 征地 政府 复议 起诉 受理 驳回 和解 回访 整改 进度 隐私 热线 结果 建议")
	zhTails := strings.Fields("吗 怎么办 要多久 在哪里 有什么用 怎么申请 要交什么 是什么意思")
	enWords := strings.Fields("procuratorate court retrial apply supervision deadline documents lawyer fee hearing protest judgment ruling enforcement compensation demolition land government reconsideration lawsuit accepted rejected settlement visit rectification progress privacy hotline outcome recommendation")
	pick := func(words []string, k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return strings.Join(out, "")
	}
	pickEn := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = enWords[r.IntN(len(enWords))]
		}
		return strings.Join(out, " ")
	}
	entries := make([]knowledge.Entry, n)
	for i := range entries {
		zh := knowledge.Text{Title: pick(zhWords, 3), Answer: strings.Repeat(pick(zhWords, 10)+"。", 8), Basis: "示例"}
		en := knowledge.Text{Title: pickEn(4), Answer: strings.Repeat(pickEn(12)+". ", 8), Basis: "Example"}
		for range 8 {
			zh.Questions = append(zh.Questions, pick(zhWords, 3)+zhTails[r.IntN(len(zhTails))])
			en.Questions = append(en.Questions, "how do I "+pickEn(4))
		}
		entries[i] = knowledge.Entry{
			ID:   fmt.Sprintf("synthetic.e%05d", i),
			Text: map[string]knowledge.Text{knowledge.LangZh: zh, knowledge.LangEn: en},
		}
	}
	return entries
}

// benchBases are the bases measured: the embedded one and 5,000 generated entries.
func benchBases(b *testing.B) map[string][]knowledge.Entry {
	return map[string][]knowledge.Entry{
		"real":      mustLoad(b, knowledge.Embedded()),
		"synthetic": synthetic(5000),
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, name := range []string{"real", "synthetic"} {
		entries := benchBases(b)[name]
		ix := mustIndex(b, entries)
		b.Run(fmt.Sprintf("%s-%d", name, len(entries)), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				q := benchQuestions[i%len(benchQuestions)]
				ix.Search(q.lang, q.q)
				i++
			}
		})
	}
}

func BenchmarkNewIndex(b *testing.B) {
	for _, name := range []string{"real", "synthetic"} {
		entries := benchBases(b)[name]
		b.Run(fmt.Sprintf("%s-%d", name, len(entries)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix, err := knowledge.NewIndex(entries)
				if err != nil {
					b.Fatal(err)
				}
				_ = ix.Close()
			}
		})
	}
}
