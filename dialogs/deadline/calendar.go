package deadline

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// officialCalendar answers from the State Council's published holiday schedules as
// github.com/6tail/lunar-go carries them, make-up working days (调休) included.
type officialCalendar struct{}

// covers reports whether the holiday data holds the schedule of year.
func (officialCalendar) covers(year int) bool { return coveredYears()[year] }

// coveredYears are the years with at least one holiday listed for that year (make-up days
// listed in the previous December, 2001-12-29 for New Year 2002, do not count for their
// own year). Computed once: the data is compiled into the library.
var coveredYears = sync.OnceValue(func() map[int]bool {
	years := map[int]bool{}
	for year := 1990; year <= 2100; year++ {
		prefix := fmt.Sprintf("%04d", year)
		for e := HolidayUtil.GetHolidaysByYear(year).Front(); e != nil; e = e.Next() {
			if h, ok := e.Value.(*HolidayUtil.Holiday); ok && strings.HasPrefix(h.GetTarget(), prefix) {
				years[year] = true
				break
			}
		}
	}
	return years
})

// working reports whether day is a working day: a listed day is a holiday or a make-up
// working day as listed; any other Saturday or Sunday is a rest day.
func (officialCalendar) working(day time.Time) bool {
	if h := HolidayUtil.GetHoliday(day.Format(time.DateOnly)); h != nil {
		return h.IsWork()
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// rollOver returns the first working day on or after last, and whether that is later than
// last. ok is false when a day it had to look at lies in a year the holiday data does not
// cover: the caller then keeps last as it is.
func rollOver(last time.Time) (day time.Time, moved, ok bool) {
	var cal officialCalendar
	day = last
	for i := 0; i < 60; i++ { // the longest run of rest days is about ten
		if !cal.covers(day.Year()) {
			return last, false, false
		}
		if cal.working(day) {
			return day, i > 0, true
		}
		day = day.AddDate(0, 0, 1)
	}
	return last, false, false
}
