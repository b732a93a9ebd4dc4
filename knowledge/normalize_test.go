package knowledge_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/knowledge"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"chinese punctuation", "申请监督，要交钱吗？", "申请监督 要交钱吗"},
		{"full-width letters and digits", "ＡＢＣ１２３０９", "abc12309"},
		{"ideographic space", "检察院\u3000在哪", "检察院 在哪"},
		{"case and ascii punctuation", "  Is it FREE?!  ", "is it free"},
		{"quotes and brackets", "《行政诉讼法》“第九十条”", "行政诉讼法 第九十条"},
		{"control characters", "a\x00b\tc\nd\u200be", "a b c d e"},
		{"emoji", "好的😀吗👍", "好的 吗"},
		{"invalid utf-8 dropped", "ab\xffcd", "abcd"},
		{"only punctuation", "？！。，", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := knowledge.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeBoundsLength(t *testing.T) {
	got := knowledge.Normalize(strings.Repeat("检察院", 10_000))
	if n := utf8.RuneCountInString(got); n > 300 {
		t.Errorf("Normalize kept %d runes, want at most 300", n)
	}
}
