package intent_test

import (
	"os"
	"testing"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// BenchmarkClassify reads every message of the quality set once per iteration.
func BenchmarkClassify(b *testing.B) {
	msgs := loadFirstMessages(b)
	intent.Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			intent.Classify(m.Text)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/message")
}

// BenchmarkClassifyLong reads a pasted text far longer than a message (it is cut).
func BenchmarkClassifyLong(b *testing.B) {
	long := ""
	for range 200 {
		long += "镇政府把我家房子强拆了，我起诉了，一审二审都输了。"
	}
	intent.Default()
	b.ReportAllocs()
	for b.Loop() {
		intent.Classify(long)
	}
}

func BenchmarkCompile(b *testing.B) {
	data, err := os.ReadFile("lexicon.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := intent.Compile(data); err != nil {
			b.Fatal(err)
		}
	}
}
