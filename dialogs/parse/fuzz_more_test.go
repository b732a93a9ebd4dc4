package parse_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

func FuzzCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91350100m000100y43", "9135 0100-M000 100Y43", "", "统一社会信用代码九一三五零一零零", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parse.ParseCreditCode(s)
		if err != nil {
			if parse.Code(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		if len(c) != 18 || strings.ToUpper(c) != c {
			t.Fatalf("accepted %q as %q", s, c)
		}
		if again, err := parse.ParseCreditCode(c); err != nil || again != c {
			t.Fatalf("normal form %q does not parse back: %v", c, err)
		}
	})
}

func FuzzDue(f *testing.F) {
	for _, s := range []string{"2026-12-20", "2026年12月20日", "2099/1/1", "2100-01-01", "2020-01-01", "０"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parse.ParseDue(s, today)
		if err != nil {
			if parse.Code(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		if d.Before(today.Truncate(24*time.Hour)) || d.Year() >= 2100 {
			t.Fatalf("accepted %q as %v", s, d)
		}
		if again, err := parse.ParseDue(parse.FormatDate(d), today); err != nil || !again.Equal(d) {
			t.Fatalf("normal form does not parse back: %v", err)
		}
	})
}

func FuzzAppointment(f *testing.F) {
	for _, s := range []string{"2099-01-20 9:30", "2099年1月20日 14:00", "2099/1/20 9点", "2099-01-20 24:00", "2099-01-20", " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, minutes, err := parse.ParseAppointment(s, today)
		if err != nil {
			if parse.Code(err) == "" {
				t.Fatalf("error without code: %v", err)
			}
			return
		}
		if minutes < 0 || minutes >= 24*60 || d.Year() >= 2100 {
			t.Fatalf("accepted %q as %v + %d min", s, d, minutes)
		}
	})
}

func FuzzCalendarDate(f *testing.F) {
	for _, s := range []string{"1949-10-01", "1948-12-31", "2024-02-29", "2023-02-29", "二〇二四年五月一日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parse.ParseCalendarDate(s)
		if err != nil {
			return
		}
		if d.Year() < 1949 {
			t.Fatalf("accepted %q as %v", s, d)
		}
		if again, err := parse.ParseCalendarDate(parse.FormatDate(d)); err != nil || !again.Equal(d) {
			t.Fatalf("normal form does not parse back: %v", err)
		}
	})
}

// FuzzClean: the cleaned text is valid UTF-8 without control or format characters (but
// line breaks) and without U+FFFD, trimmed, and cleaning it again changes nothing.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"张\u202e三", "\x00\x1b[31m", "\xff\xfe", "a\tb\r\nc", " \u200f ", "\ufffd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := parse.Clean(s)
		if !utf8.ValidString(c) || c != strings.TrimSpace(c) || parse.Clean(c) != c {
			t.Fatalf("Clean(%q) = %q", s, c)
		}
		for _, r := range c {
			if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError) {
				t.Fatalf("Clean(%q) keeps %U", s, r)
			}
		}
	})
}
