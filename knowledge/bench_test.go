package knowledge_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/knowledge"
	"go.yaml.in/yaml/v3"
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

// benchSizes are the generated base sizes measured, besides the real base, so the cost can be
// followed as the base grows.
var benchSizes = []int{500, 1000, 5000}

// benchBase is one base measured by the benchmarks.
type benchBase struct {
	name    string
	entries func(testing.TB) []knowledge.Entry
}

// benchBases are the embedded base and generated bases of benchSizes entries.
func benchBases() []benchBase {
	out := []benchBase{{"real", func(tb testing.TB) []knowledge.Entry { return mustLoad(tb, knowledge.Embedded()) }}}
	for _, n := range benchSizes {
		out = append(out, benchBase{"synthetic", func(testing.TB) []knowledge.Entry { return synthetic(n) }})
	}
	return out
}

// benchQueries are benchQuestions followed by every question of the quality set (when it exists),
// so percentiles reflect the questions petitioners ask rather than a handful.
func benchQueries(tb testing.TB) []struct{ lang, q string } {
	out := append([]struct{ lang, q string }(nil), benchQuestions...)
	data, err := os.ReadFile(questionSetPath)
	if errors.Is(err, fs.ErrNotExist) {
		return out
	}
	if err != nil {
		tb.Fatal(err)
	}
	var set questionSet
	if err := yaml.Unmarshal(data, &set); err != nil {
		tb.Fatalf("parse %s: %v", questionSetPath, err)
	}
	for _, q := range append(append(set.InScope, set.OutOfScope...), set.Unanswerable...) {
		out = append(out, struct{ lang, q string }{q.Lang, q.Q})
	}
	return out
}

// maxSamples bounds the latencies a search benchmark keeps for its percentiles.
const maxSamples = 1 << 16

// BenchmarkSearch measures one search, cycling through benchQueries, and reports the median and
// 99th-percentile latency of single searches (p50-ns, p99-ns) besides the mean (ns/op).
func BenchmarkSearch(b *testing.B) {
	queries := benchQueries(b)
	for _, base := range benchBases() {
		entries := base.entries(b)
		ix := mustIndex(b, entries)
		b.Run(fmt.Sprintf("%s-%d", base.name, len(entries)), func(b *testing.B) {
			b.ReportAllocs()
			lat := make([]time.Duration, 0, maxSamples)
			i := 0
			for b.Loop() {
				q := queries[i%len(queries)]
				start := time.Now()
				ix.Search(q.lang, q.q)
				if len(lat) < maxSamples {
					lat = append(lat, time.Since(start))
				}
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(percentile(lat, 0.50).Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(percentile(lat, 0.99).Nanoseconds()), "p99-ns")
		})
	}
}

// percentile returns the p-quantile (0 ≤ p ≤ 1) of sorted latencies, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// BenchmarkNewIndex measures building an index (with -benchmem: the memory allocated while
// building) and reports heap-B, the live heap one built index holds: HeapAlloc after a garbage
// collection with the index alive, minus the same before building it.
func BenchmarkNewIndex(b *testing.B) {
	for _, base := range benchBases() {
		entries := base.entries(b)
		b.Run(fmt.Sprintf("%s-%d", base.name, len(entries)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ix, err := knowledge.NewIndex(entries)
				if err != nil {
					b.Fatal(err)
				}
				_ = ix.Close()
			}
			b.ReportMetric(float64(indexHeap(b, entries)), "heap-B")
		})
	}
}

// indexHeap returns the bytes of live heap an index of entries holds.
func indexHeap(tb testing.TB, entries []knowledge.Entry) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, err := knowledge.NewIndex(entries)
	if err != nil {
		tb.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ix)
	_ = ix.Close()
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}
