package knowledge_test

import (
	"testing"

	"github.com/petitionbot/petitionbot/knowledge"
)

func TestQuestionLang(t *testing.T) {
	tests := []struct {
		name, text string
		wantLang   string
		wantOK     bool
	}{
		{"english question", "How do I apply?", knowledge.LangEn, true},
		{"english lower case", "how to apply for supervision", knowledge.LangEn, true},
		{"english with digits", "is 12309 free to call", knowledge.LangEn, true},
		{"accented latin", "café résumé", knowledge.LangEn, true},
		{"full-width latin", "ＨＥＬＬＯ", knowledge.LangEn, true},
		{"chinese question", "怎么申请", knowledge.LangZh, true},
		{"chinese with digits", "12309是干啥的", knowledge.LangZh, true},
		{"chinese with an english word", "能用app交申请吗", knowledge.LangZh, true},
		{"english with one chinese word", "where is the 检察院", knowledge.LangZh, true},
		{"traditional han", "檢察院", knowledge.LangZh, true},
		{"digits only", "2026-10-08", "", false},
		{"phone number", "+86 0857 1234567", "", false},
		{"emoji only", "👍🙏", "", false},
		{"punctuation only", "？？！！...", "", false},
		{"empty", "", "", false},
		{"spaces", "   \t\n", "", false},
		{"cyrillic", "привет", "", false},
		{"kana only", "こんにちは", "", false},
		{"invalid utf-8 then latin", "\xff\xfeok", knowledge.LangEn, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lang, ok := knowledge.QuestionLang(tt.text)
			if lang != tt.wantLang || ok != tt.wantOK {
				t.Errorf("QuestionLang(%q) = %q, %v; want %q, %v", tt.text, lang, ok, tt.wantLang, tt.wantOK)
			}
		})
	}
}

// FuzzQuestionLang checks the contract on any input: the result is one of the supported
// languages or nothing, appending a Han character always makes it Chinese, and digits and
// punctuation never change the answer.
func FuzzQuestionLang(f *testing.F) {
	for _, s := range []string{"How do I apply?", "怎么申请", "12309", "👍", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lang, ok := knowledge.QuestionLang(s)
		switch {
		case ok && lang != knowledge.LangZh && lang != knowledge.LangEn:
			t.Fatalf("QuestionLang(%q) = %q, true: not a supported language", s, lang)
		case !ok && lang != "":
			t.Fatalf("QuestionLang(%q) = %q, false: lang must be empty when not ok", s, lang)
		}
		if got, _ := knowledge.QuestionLang(s + "吗"); got != knowledge.LangZh {
			t.Fatalf("QuestionLang(%q + Han) = %q, want %q", s, got, knowledge.LangZh)
		}
		if got, gotOK := knowledge.QuestionLang("123 " + s + " ?!"); got != lang || gotOK != ok {
			t.Fatalf("digits and punctuation changed QuestionLang(%q) from %q, %v to %q, %v", s, lang, ok, got, gotOK)
		}
	})
}
