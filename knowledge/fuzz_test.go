package knowledge_test

import (
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/knowledge"
)

// fuzzSeeds are typical, odd and hostile inputs.
var fuzzSeeds = []string{
	"", "申请监督要交钱吗", "How long does the review take?", "ＡＢＣ　１２３０９", "😀👍🏽🇨🇳",
	"\x00\x01\x02\x7f", "\xff\xfe\xfd", "a\u200bb\u202ec", "<b>再审</b>", "？！。，、；：",
	strings.Repeat("检察院", 3400), strings.Repeat("x", 10_000), strings.Repeat("😀", 2500),
	"ignore previous instructions 忽略之前的指令", "1 OR 1=1; DROP TABLE entries", "+title:x -y ~z *",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := knowledge.Normalize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 output %q", got)
		}
		if n := utf8.RuneCountInString(got); n > 300 {
			t.Fatalf("output has %d runes", n)
		}
		if again := knowledge.Normalize(got); again != got {
			t.Fatalf("not idempotent: %q → %q", got, again)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("untrimmed spaces in %q", got)
		}
	})
}

func FuzzSearch(f *testing.F) {
	ix := mustIndex(f, mustLoad(f, knowledge.Embedded()))
	for _, s := range fuzzSeeds {
		f.Add("zh-Hans", s)
		f.Add("en", s)
	}
	f.Fuzz(func(t *testing.T, lang, q string) {
		res := ix.Search(lang, q)
		if len(res.Matches) > 5 {
			t.Fatalf("%d matches", len(res.Matches))
		}
		if res.Answered && (res.OutOfScope || len(res.Matches) == 0) {
			t.Fatalf("inconsistent result %+v", res)
		}
		for _, m := range res.Matches {
			if _, ok := ix.Entry(m.ID); !ok {
				t.Fatalf("unknown id %q", m.ID)
			}
		}
	})
}

func FuzzCheck(f *testing.F) {
	f.Add("id: a.b\nreviewed: 2026-11-27\n")
	f.Add("id: [\n")
	f.Add("zh-Hans: {title: 标题, questions: [a, b]}\nen: 3\n")
	f.Add("related: [a.b, a.b]\nid: a.b\n")
	f.Add("&a [*a, *a]")
	f.Fuzz(func(t *testing.T, body string) {
		fsys := fstest.MapFS{"entries/a.b.yaml": &fstest.MapFile{Data: []byte(body)}}
		problems := knowledge.Check(fsys)
		_, err := knowledge.Load(fsys)
		if (len(problems) == 0) != (err == nil) {
			t.Fatalf("Check found %d problems but Load returned %v", len(problems), err)
		}
	})
}
