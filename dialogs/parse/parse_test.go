package parse_test

import (
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestResidentID(t *testing.T) {
	tests := []struct {
		name, in, want, code string
		male                 bool
	}{
		{"standard example", "11010519491231002X", "11010519491231002X", "", false},
		{"lower-case x", "34052419800101001x", "34052419800101001X", "", true},
		{"spaces", " 1101 0119 9003 0744 77 ", "110101199003074477", "", true},
		{"full-width digits", "１１０１０１１９９００３０７４４７７", "110101199003074477", "", true},
		{"too short", "1101011990030744", "", "id_length", false},
		{"too long", "1101011990030744771", "", "id_length", false},
		{"letter inside", "1101011990A3074477", "", "id_chars", false},
		{"bad last char", "11010119900307447Y", "", "id_chars", false},
		{"no such date", "110101199002304471", "", "id_birth", false},
		{"future birth", "110101202712010014", "", "id_future", false},
		{"checksum", "110101199003074478", "", "id_checksum", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse.ParseResidentID(tt.in, today)
			if parse.Code(err) != tt.code {
				t.Fatalf("code = %q, want %q (err %v)", parse.Code(err), tt.code, err)
			}
			if tt.code == "" && (got.Number != tt.want || got.Male != tt.male) {
				t.Fatalf("got %+v, want %s male=%v", got, tt.want, tt.male)
			}
		})
	}
}

func TestAge(t *testing.T) {
	id, err := parse.ParseResidentID("11010519491231002X", today)
	if err != nil {
		t.Fatal(err)
	}
	if got := parse.Age(id.Birth, today); got != 76 {
		t.Fatalf("age = %d, want 76", got)
	}
	birth := time.Date(2008, 11, 28, 0, 0, 0, 0, time.UTC)
	if got := parse.Age(birth, today); got != 17 {
		t.Fatalf("age one day before 18th birthday = %d, want 17", got)
	}
}

func TestMaskID(t *testing.T) {
	if got := parse.MaskID("11010519491231002X"); got != "**************002X" {
		t.Fatalf("got %q", got)
	}
	if got := parse.MaskID("AB1"); got != "***" {
		t.Fatalf("short: got %q", got)
	}
}

func TestCreditCode(t *testing.T) {
	tests := []struct{ in, code string }{
		{"91350100M000100Y43", ""},
		{"91350100m000100y43", ""},
		{"91350100M000100Y44", "credit_checksum"},
		{"91350100M000100Y4", "credit_length"},
		{"91350100I000100Y43", "credit_chars"},
	}
	for _, tt := range tests {
		_, err := parse.ParseCreditCode(tt.in)
		if parse.Code(err) != tt.code {
			t.Errorf("%s: code %q, want %q", tt.in, parse.Code(err), tt.code)
		}
	}
}

func TestMobile(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"13812345678", "13812345678", ""},
		{"+86 138-1234-5678", "13812345678", ""},
		{"0086 13812345678", "13812345678", ""},
		{"8613812345678", "13812345678", ""},
		{"(138) 1234 5678", "13812345678", ""},
		{"1381234567", "", "phone_length"},
		{"138123456789", "", "phone_length"},
		{"12812345678", "", "phone_prefix"},
		{"0851-1234567", "", "phone_prefix"},
		{"138abc45678", "", "phone_chars"},
		{"", "", "phone_length"},
	}
	for _, tt := range tests {
		got, err := parse.ParseMobile(tt.in)
		if parse.Code(err) != tt.code || got != tt.want {
			t.Errorf("%q: got %q code %q, want %q code %q", tt.in, got, parse.Code(err), tt.want, tt.code)
		}
	}
}

func TestCaseNumber(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"（2021）黔05行终123号", "（2021）黔05行终123号", ""},
		{"(2021)黔05行终123号", "（2021）黔05行终123号", ""},
		{"〔2020〕黔0502行初7号", "（2020）黔0502行初7号", ""},
		{"（2019）最高法行申1024号", "（2019）最高法行申1024号", ""},
		{"(2022) 黔 05 行赔初 3 号", "（2022）黔05行赔初3号", ""},
		{"(2013)黔高行终字第12号", "（2013）黔高行终12号", ""},
		{"（2023）黔05执456号", "（2023）黔05执456号", ""},
		{"2021黔05行终123号", "", "case_brackets"},
		{"（1985）黔05行终123号", "", "case_year"},
		{"（2031）黔05行终123号", "", "case_year"},
		{"（2021）黔05民终123号", "", "case_type"},
		{"（2021）黔05行终号", "", "case_seq"},
		{"（2021）黔05行终123", "", "case_seq"},
		{"（2021）05行终123号", "", "case_court"},
	}
	for _, tt := range tests {
		got, err := parse.ParseCaseNumber(tt.in, today)
		if parse.Code(err) != tt.code {
			t.Errorf("%q: code %q, want %q", tt.in, parse.Code(err), tt.code)
			continue
		}
		if tt.code == "" && got.String() != tt.want {
			t.Errorf("%q: got %q, want %q", tt.in, got.String(), tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"2024-05-01", "2024-05-01", ""},
		{"2024/5/1", "2024-05-01", ""},
		{"2024.5.1", "2024-05-01", ""},
		{"2024年5月1日", "2024-05-01", ""},
		{"2024 年 5 月 1 号", "2024-05-01", ""},
		{"２０２４－０５－０１", "2024-05-01", ""},
		{"2026-11-27", "2026-11-27", ""},
		{"2026-11-28", "", "date_future"},
		{"2024-02-30", "", "date_invalid"},
		{"2024-13-01", "", "date_invalid"},
		{"1900-01-01", "", "date_old"},
		{"May 1st", "", "date_format"},
		{"01/05/2024", "", "date_format"},
	}
	for _, tt := range tests {
		got, err := parse.ParseDate(tt.in, today)
		if parse.Code(err) != tt.code {
			t.Errorf("%q: code %q, want %q", tt.in, parse.Code(err), tt.code)
			continue
		}
		if tt.code == "" && parse.FormatDate(got) != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, parse.FormatDate(got), tt.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct{ from, want time.Time }{
		{d(2023, 8, 31), d(2024, 2, 29)},
		{d(2022, 8, 31), d(2023, 2, 28)},
		{d(2024, 3, 31), d(2024, 9, 30)},
		{d(2024, 7, 15), d(2025, 1, 15)},
		{d(2024, 12, 31), d(2025, 6, 30)},
	}
	for _, tt := range tests {
		if got := parse.AddMonths(tt.from, 6); !got.Equal(tt.want) {
			t.Errorf("%s + 6 months = %s, want %s", tt.from.Format(time.DateOnly), got.Format(time.DateOnly), tt.want.Format(time.DateOnly))
		}
	}
}

func TestClean(t *testing.T) {
	if got := parse.Clean("  a\x00b\u200bc\tＡ，\n "); got != "abc Ａ，" {
		t.Fatalf("got %q", got)
	}
}

func TestParseDueAndAppointment(t *testing.T) {
	today := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in, want, code string
	}{
		{"2026-12-01", "2026-12-01", ""},
		{"2027年1月5日", "2027-01-05", ""},
		{"2026-11-30", "", "date_past"},
		{"2026-02-30", "", "date_invalid"},
		{"2100-01-01", "", "date_far"},
		{"next week", "", "date_format"},
	} {
		got, err := parse.ParseDue(tc.in, today)
		if parse.Code(err) != tc.code || (err == nil && parse.FormatDate(got) != tc.want) {
			t.Errorf("ParseDue(%q) = %v, %v; want %q %q", tc.in, got, err, tc.want, tc.code)
		}
	}
	for _, tc := range []struct {
		in   string
		date string
		min  int
		code string
	}{
		{"2026-12-20 9:30", "2026-12-20", 9*60 + 30, ""},
		{"2026年12月20日 14点", "2026-12-20", 14 * 60, ""},
		{"2026/12/20 14：05", "2026-12-20", 14*60 + 5, ""},
		{"2026-12-20", "", 0, "time_format"},
		{"2026-12-20 25:00", "", 0, "time_format"},
		{"2026-11-20 10:00", "", 0, "date_past"},
	} {
		d, m, err := parse.ParseAppointment(tc.in, today)
		if parse.Code(err) != tc.code || (err == nil && (parse.FormatDate(d) != tc.date || m != tc.min)) {
			t.Errorf("ParseAppointment(%q) = %v %d %v; want %s %d %q", tc.in, d, m, err, tc.date, tc.min, tc.code)
		}
	}
}
