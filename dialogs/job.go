package dialogs

import (
	"strconv"
	"time"
)

// A Job is a message or a check that falls due at a time rather than in reply to someone:
// a check-in, a reminder, a deadline flag, the daily digest. Jobs are scheduled and
// cancelled as Effects (Schedule, Cancel), committed with the change that caused them; a
// scheduler fires a due job by processing an Input of KindTimer under Job.UpdateID, so
// the engine decides at that moment whether it still applies, and a job fired twice has
// one effect.
type Job struct {
	// ID names the job while it is pending: scheduling a job with the ID of a pending one
	// replaces it. "<case>/<kind code>/<n>", or "digest".
	ID   string    `json:"id"`
	Kind JobKind   `json:"kind"`
	Case string    `json:"case,omitempty"`
	Chat int64     `json:"chat,omitempty"` // the petitioner it writes to; 0 for jobs that write to staff only
	N    int       `json:"n,omitempty"`    // the check-in number, or the rectification suggestion (from 1)
	Due  time.Time `json:"due"`
}

// UpdateID is the update id a firing of the job is processed under: the same for every
// firing of one scheduling, different once the job is rescheduled to another time.
func (j Job) UpdateID() string {
	return "job:" + j.ID + "@" + strconv.FormatInt(j.Due.UnixMilli(), 10)
}

// JobKind says what a job does when it fires.
type JobKind string

// The kinds of job.
const (
	JobCheckin          JobKind = "checkin"           // ask the petitioner whether what was agreed was carried out
	JobCheckinReminder  JobKind = "checkin_reminder"  // ask once more
	JobCheckinLapse     JobKind = "checkin_lapse"     // no answer after the reminder: record no response
	JobHearingNotice    JobKind = "hearing_notice"    // the petitioner: the hearing is in three days
	JobHearingReminder  JobKind = "hearing_reminder"  // the petitioner and the case's staff: the hearing is tomorrow
	JobMaterialsRemind  JobKind = "materials_remind"  // the petitioner: the materials are due soon
	JobMaterialsOverdue JobKind = "materials_overdue" // the case's staff: the materials are overdue, what now?
	JobRectOverdue      JobKind = "rect_overdue"      // the case's staff: a suggestion's deadline passed unadopted
	JobReviewNear       JobKind = "review_near"       // the case's staff: the review period ends soon
	JobReviewOver       JobKind = "review_over"       // the case's staff: the review period is over
	JobDigest           JobKind = "digest"            // the daily digest in the staff group
)

// jobCodes are the short names of job kinds in job ids.
var jobCodes = map[JobKind]string{
	JobCheckin: "ci", JobCheckinReminder: "cr", JobCheckinLapse: "cn", JobHearingNotice: "hn",
	JobHearingReminder: "hr", JobMaterialsRemind: "mr", JobMaterialsOverdue: "mo", JobRectOverdue: "ro",
	JobReviewNear: "rn", JobReviewOver: "rv",
}

// caseJob is a job about case c; chat is the petitioner it writes to, or 0.
func caseJob(kind JobKind, c Case, chat int64, n int, due time.Time) Job {
	id := c.Number + "/" + jobCodes[kind]
	if n > 0 {
		id += "/" + strconv.Itoa(n)
	}
	return Job{ID: id, Kind: kind, Case: c.Number, Chat: chat, N: n, Due: due.UTC()}
}

// digestJobID is the id of the one pending daily digest.
const digestJobID = "digest"

// Hours is a daily window of local time, in minutes after midnight: From inclusive, To
// exclusive. To may be 1440 (the end of the day); a window with To before From runs over
// midnight. The zero value means 09:00–20:00.
type Hours struct {
	From, To int
}

func (h Hours) orDefault() Hours {
	if h == (Hours{}) {
		return Hours{From: 9 * 60, To: 20 * 60}
	}
	return h
}

// Always reports whether the window is the whole day.
func (h Hours) Always() bool {
	h = h.orDefault()
	return h.From == h.To || (h.From == 0 && h.To >= 1440)
}

// Contains reports whether t, in loc, falls inside the window.
func (h Hours) Contains(t time.Time, loc *time.Location) bool {
	h = h.orDefault()
	if h.Always() {
		return true
	}
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	if h.From < h.To {
		return m >= h.From && m < h.To
	}
	return m >= h.From || m < h.To
}

// Next returns t when it falls inside the window, else the window's next opening.
func (h Hours) Next(t time.Time, loc *time.Location) time.Time {
	h = h.orDefault()
	if h.Contains(t, loc) {
		return t
	}
	l := t.In(loc)
	open := time.Date(l.Year(), l.Month(), l.Day(), 0, h.From, 0, 0, loc)
	if !open.After(l) {
		open = time.Date(l.Year(), l.Month(), l.Day()+1, 0, h.From, 0, 0, loc)
	}
	return open
}

// Opening is the window's opening on the calendar day of t in loc.
func (h Hours) Opening(t time.Time, loc *time.Location) time.Time {
	h = h.orDefault()
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, h.From, 0, 0, loc)
}
