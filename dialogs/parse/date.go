package parse

import (
	"regexp"
	"strconv"
	"time"
)

var dateForms = []*regexp.Regexp{
	regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`),
	regexp.MustCompile(`^(\d{4})/(\d{1,2})/(\d{1,2})$`),
	regexp.MustCompile(`^(\d{4})\.(\d{1,2})\.(\d{1,2})$`),
	regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$`),
}

// ParseDate accepts 2024-05-01, 2024/5/1, 2024.5.1 and 2024年5月1日 and returns midnight
// UTC of that date. The date must exist, be on or before today's date and not before
// 1949. Error codes: date_format, date_invalid, date_future, date_old.
func ParseDate(s string, today time.Time) (time.Time, error) {
	n := despace(s)
	for _, re := range dateForms {
		m := re.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
			return time.Time{}, fail("date_invalid")
		}
		if t.After(dateOf(today)) {
			return time.Time{}, fail("date_future")
		}
		if y < 1949 {
			return time.Time{}, fail("date_old")
		}
		return t, nil
	}
	return time.Time{}, fail("date_format")
}

// FormatDate renders a date in the one normal form used everywhere: 2024-05-01.
func FormatDate(t time.Time) string { return t.Format("2006-01-02") }

// AddMonths adds n calendar months without overflowing into the next month: 31 August
// plus 6 months is the last day of February.
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, t.Location())
}

// DaysBetween returns the number of calendar days from a to b (negative when b is before a).
func DaysBetween(a, b time.Time) int {
	return int(dateOf(b).Sub(dateOf(a)).Hours() / 24)
}
