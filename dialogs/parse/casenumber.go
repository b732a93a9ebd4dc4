package parse

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CaseNumber is a court case number (案号) such as （2021）黔05行终123号.
type CaseNumber struct {
	Year  int
	Court string // court code: 黔05, 最高法, 京0105…
	Type  string // 行初, 行终, 行申, 行再, 行赔…, 执…
	Seq   int
}

// String renders the number in its normal form, with full-width brackets.
func (c CaseNumber) String() string {
	return "（" + strconv.Itoa(c.Year) + "）" + c.Court + c.Type + strconv.Itoa(c.Seq) + "号"
}

// caseTypes lists the administrative and enforcement case-type codes, longest first so
// that 行赔初 wins over 行赔.
var caseTypes = []string{
	"行赔初", "行赔终", "行赔申", "行赔再", "行审复", "行赔", "行审", "行初", "行终", "行申", "行再", "行监",
	"执恢", "执异", "执复", "执监", "执保", "执",
}

var (
	caseHead  = regexp.MustCompile(`^\((\d{4})\)`)
	caseTail  = regexp.MustCompile(`^(?:字)?(?:第)?(\d{1,7})号$`)
	caseCourt = regexp.MustCompile(`^\p{Han}{1,4}\d{0,6}`)
)

// ParseCaseNumber accepts （2021）黔05行终123号 with （）, () or 〔〕 brackets, spaces
// anywhere and the old 字第 form. today bounds the year. Error codes: case_brackets (no
// bracketed four-digit year first), case_year (before 1990 or after this year),
// case_court (no court code), case_type (not an administrative or enforcement type),
// case_seq (no number followed by 号).
func ParseCaseNumber(s string, today time.Time) (CaseNumber, error) {
	n := compact(s)
	n = strings.NewReplacer("〔", "(", "〕", ")", "［", "(", "］", ")", "[", "(", "]", ")", "【", "(", "】", ")").Replace(n)
	m := caseHead.FindStringSubmatch(n)
	if m == nil {
		return CaseNumber{}, fail("case_brackets")
	}
	year, _ := strconv.Atoi(m[1])
	if year < 1990 || year > today.Year() {
		return CaseNumber{}, fail("case_year")
	}
	rest := n[len(m[0]):]
	// The court code is Han characters and digits; the type starts at the first 行 or 执
	// that follows it.
	court := caseCourt.FindString(rest)
	if court == "" {
		return CaseNumber{}, fail("case_court")
	}
	for cut := len(court); cut > 0; cut-- {
		if !strings.HasPrefix(rest[cut:], "行") && !strings.HasPrefix(rest[cut:], "执") {
			continue
		}
		for _, t := range caseTypes {
			if !strings.HasPrefix(rest[cut:], t) {
				continue
			}
			tail := caseTail.FindStringSubmatch(rest[cut+len(t):])
			if tail == nil {
				return CaseNumber{}, fail("case_seq")
			}
			seq, _ := strconv.Atoi(tail[1])
			if seq == 0 {
				return CaseNumber{}, fail("case_seq")
			}
			return CaseNumber{Year: year, Court: rest[:cut], Type: t, Seq: seq}, nil
		}
	}
	if strings.ContainsAny(rest, "行执") {
		return CaseNumber{}, fail("case_type")
	}
	if strings.HasSuffix(rest, "号") || strings.ContainsAny(rest, "0123456789") {
		return CaseNumber{}, fail("case_type")
	}
	return CaseNumber{}, fail("case_court")
}
