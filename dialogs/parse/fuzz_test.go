package parse_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Each fuzz target checks that the parser never panics and that what it accepts is
// stable: parsing the normal form again gives the same value.

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "34052419800101001x", "", "１１０", strings.Repeat("9", 10000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parse.ParseResidentID(s, today)
		if err != nil {
			if parse.Code(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		again, err := parse.ParseResidentID(id.Number, today)
		if err != nil || again != id {
			t.Fatalf("normal form %q does not parse back: %v", id.Number, err)
		}
	})
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138-1234-5678", "\x00", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parse.ParseMobile(s)
		if err != nil {
			return
		}
		if len(n) != 11 || n[0] != '1' {
			t.Fatalf("accepted %q as %q", s, n)
		}
		if again, err := parse.ParseMobile(n); err != nil || again != n {
			t.Fatalf("normal form %q does not parse back", n)
		}
	})
}

func FuzzCaseNumber(f *testing.F) {
	for _, s := range []string{"（2021）黔05行终123号", "(2013)黔高行终字第12号", "〔2020〕黔0502行初7号", "(", "（2021）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parse.ParseCaseNumber(s, today)
		if err != nil {
			return
		}
		if !utf8.ValidString(c.String()) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		again, err := parse.ParseCaseNumber(c.String(), today)
		if err != nil || again != c {
			t.Fatalf("normal form %q does not parse back: %v", c.String(), err)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024/5/1", "2024.5.1", "2024年5月1日", "9999-99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parse.ParseDate(s, today)
		if err != nil {
			return
		}
		if d.After(today) {
			t.Fatalf("future date accepted: %q", s)
		}
		again, err := parse.ParseDate(parse.FormatDate(d), today)
		if err != nil || !again.Equal(d) {
			t.Fatalf("normal form does not parse back")
		}
	})
}
