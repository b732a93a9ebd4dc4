package parse

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseDue accepts a date in the forms ParseDate does, on or after today and before 2100:
// a deadline or an appointment. Error codes: date_format, date_invalid, date_past,
// date_far.
func ParseDue(s string, today time.Time) (time.Time, error) {
	t, err := calendarDate(despace(s))
	if err != nil {
		return time.Time{}, err
	}
	if t.Before(dateOf(today)) {
		return time.Time{}, fail("date_past")
	}
	if t.Year() >= 2100 {
		return time.Time{}, fail("date_far")
	}
	return t, nil
}

var clock = regexp.MustCompile(`^(\d{1,2})[:：点時时](\d{2})?分?$`)

// ParseAppointment accepts a date as ParseDue does followed by a time of day: "2026-12-20
// 9:30", "2026年12月20日 14:00", "2026/12/20 9点". It returns the date at midnight UTC
// and the minutes after midnight. Error codes: those of ParseDue, and time_format.
func ParseAppointment(s string, today time.Time) (time.Time, int, error) {
	f := strings.Fields(Clean(s))
	if len(f) != 2 {
		return time.Time{}, 0, fail("time_format")
	}
	day, err := ParseDue(f[0], today)
	if err != nil {
		return time.Time{}, 0, err
	}
	m := clock.FindStringSubmatch(f[1])
	if m == nil {
		return time.Time{}, 0, fail("time_format")
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if h > 23 || min > 59 {
		return time.Time{}, 0, fail("time_format")
	}
	return day, h*60 + min, nil
}

// ParseCalendarDate accepts a date in the forms ParseDate does, any existing date from 1949
// (a range's end may lie ahead). Error codes: date_format, date_invalid, date_old.
func ParseCalendarDate(s string) (time.Time, error) { return calendarDate(despace(s)) }

// calendarDate reads one of the date forms, any existing date from 1949.
func calendarDate(n string) (time.Time, error) {
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
		if y < 1949 {
			return time.Time{}, fail("date_old")
		}
		return t, nil
	}
	return time.Time{}, fail("date_format")
}
