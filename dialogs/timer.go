package dialogs

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// timer handles a job that fell due. It reads the case again and acts only if the case
// still needs the job (jobsOf): a check-in of a reopened case, a reminder of a hearing
// that was moved, a flag for materials that arrived meanwhile do nothing. A job that
// writes to a petitioner outside the check-in hours waits for their opening. Every
// delivery it makes is proactive; the job itself is removed in the same commit (Fired).
func (e *Engine) timer(ctx context.Context, r *replies, in Input) error {
	j := in.Job
	r.fx.Fired = &j
	defer func() {
		for i := range r.others {
			r.others[i].Proactive = true
		}
	}()
	if j.Kind == JobDigest {
		return e.digest(ctx, r, j)
	}
	c, err := e.cases.Get(ctx, j.Case)
	if err != nil {
		return ignoreNotFound(err)
	}
	if _, ok := e.jobsOf(c)[j.ID]; !ok {
		return nil
	}
	now := e.now()
	if j.Chat != 0 && !e.cfg.Followup.Hours.Contains(now, e.cfg.Location) {
		later := j
		later.Due = e.cfg.Followup.Hours.Next(now, e.cfg.Location).UTC()
		r.fx.Schedule = append(r.fx.Schedule, later)
		return nil
	}
	switch j.Kind {
	case JobCheckin, JobCheckinReminder:
		return e.sendCheckin(r, c, j)
	case JobCheckinLapse:
		nc, err := e.recordStep(r, c, e.systemAct(j, ActCheckin, &CheckinStep{N: j.N, Result: CheckinNoResponse}))
		if err == nil {
			e.alertCheckin(r, nc, j.N, CheckinNoResponse)
		}
		return ignoreRefusal(err)
	case JobHearingNotice, JobHearingReminder:
		e.hearingJob(r, c, j)
	case JobMaterialsRemind, JobMaterialsOverdue:
		e.materialsJob(r, c, j)
	case JobRectOverdue:
		nc := e.mark(r, c, func(x *Case) { x.Rectifications[j.N-1].Flagged = now })
		rc := nc.Rectifications[j.N-1]
		e.toStaffOf(r, nc, []Text{T("timed.rect_overdue", "Number", nc.Number, "N", strconv.Itoa(j.N), "Body", rc.Body,
			"Date", parse.FormatDate(rc.Due))}, [][]Button{row(staffButton("act.adopted", codeOf(ActAdopted), nc), staffButton("act.card", viewCard, nc))})
	case JobReviewNear, JobReviewOver:
		key := "timed.review_near"
		nc := e.mark(r, c, func(x *Case) {
			if j.Kind == JobReviewNear {
				x.ReviewNear = x.ReviewDue
			} else {
				x.ReviewOver = x.ReviewDue
			}
		})
		left := parse.DaysBetween(e.today(), nc.ReviewDue)
		if j.Kind == JobReviewOver {
			key, left = "timed.review_over", -left
		}
		e.toStaffOf(r, nc, []Text{T(key, "Number", nc.Number, "Date", parse.FormatDate(nc.ReviewDue)).N(left)},
			[][]Button{row(staffButton("act.extend", codeOf(ActExtend), nc), staffButton("act.card", viewCard, nc))})
	}
	return nil
}

// sendCheckin sends a check-in, or its reminder, and records that it went.
func (e *Engine) sendCheckin(r *replies, c Case, j Job) error {
	step := &CheckinStep{N: j.N, Sent: true}
	if j.Kind == JobCheckinReminder {
		step = &CheckinStep{N: j.N, Reminded: true}
	}
	nc, err := e.recordStep(r, c, e.systemAct(j, ActCheckin, step))
	if err != nil {
		return ignoreRefusal(err)
	}
	r.send(Delivery{To: ToChat(nc.ChatID), Msg: e.checkinMessage(nc, j.N, j.Kind == JobCheckinReminder),
		About: "ci:" + nc.Number + ":" + strconv.Itoa(j.N)})
	return nil
}

// hearingJob sends the three-day notice, or the day-before reminder to the petitioner
// and the case's staff.
func (e *Engine) hearingJob(r *replies, c Case, j Job) {
	now := e.now()
	nc := e.mark(r, c, func(x *Case) {
		h := *x.Hearing
		if j.Kind == JobHearingNotice {
			h.Notified = now
		} else {
			h.Reminded = now
		}
		x.Hearing = &h
	})
	h := nc.Hearing
	at := h.At.In(e.cfg.Location).Format("2006-01-02 15:04")
	key := "timed.hearing_notice"
	if j.Kind == JobHearingReminder {
		key = "timed.hearing_reminder"
		e.toStaffOf(r, nc, []Text{T("timed.hearing_staff", "Number", nc.Number, "Time", at, "Place", h.Place)},
			[][]Button{row(staffButton("act.card", viewCard, nc))})
	}
	if nc.ChatID != 0 {
		r.send(Delivery{To: ToChat(nc.ChatID), Msg: Message{Lang: nc.Lang, Parts: []Text{
			T(key, "Number", nc.Number, "Time", at, "Place", h.Place, "Phone", e.cfg.Procuratorate.Phone)}}})
	}
}

// materialsJob reminds the petitioner of materials due soon, or asks the case's staff
// what to do about materials overdue.
func (e *Engine) materialsJob(r *replies, c Case, j Job) {
	now := e.now()
	nc := e.mark(r, c, func(x *Case) {
		m := *x.Materials
		if j.Kind == JobMaterialsRemind {
			m.Reminded = now
		} else {
			m.Flagged = now
		}
		x.Materials = &m
	})
	m := nc.Materials
	if j.Kind == JobMaterialsRemind {
		r.send(Delivery{To: ToChat(nc.ChatID), Msg: Message{Lang: nc.Lang, Parts: []Text{
			T("timed.materials_reminder", "Number", nc.Number, "What", m.What, "Date", parse.FormatDate(m.Due))}, Buttons: replyButtons(nc)}})
		return
	}
	e.toStaffOf(r, nc, []Text{T("timed.materials_overdue", "Number", nc.Number, "Date", parse.FormatDate(m.Due))}, [][]Button{
		row(staffButton("act.lapse", codeOf(ActLapse), nc), staffButton("act.materials", codeOf(ActMaterials), nc)),
		row(staffButton("act.materials_in", codeOf(ActMaterialsIn), nc), staffButton("act.message", codeOf(ActMessage), nc)),
	})
}

// toStaffOf sends a message to whoever handles case c: the assignee's private chat, or the
// staff group while nobody does. It carries no personal data.
func (e *Engine) toStaffOf(r *replies, c Case, parts []Text, buttons [][]Button) {
	r.send(Delivery{To: e.staffOf(c), Msg: Message{Lang: e.cfg.StaffLang, Parts: parts, Buttons: buttons}})
}

// staffOf is who handles case c.
func (e *Engine) staffOf(c Case) Recipient {
	if c.Assignee.ID != 0 {
		return ToChat(c.Assignee.ID)
	}
	return ToStaff()
}

// systemAct is an act of the system, caused by job j, now.
func (e *Engine) systemAct(j Job, a Action, step *CheckinStep) Act {
	return Act{Action: a, Role: RoleSystem, At: e.now(), Ref: j.UpdateID(), Checkin: step}
}

// recordStep applies an act that changes nothing staff see on the card (a check-in step) and
// writes the case, without a card update, notice or audit entry.
func (e *Engine) recordStep(r *replies, c Case, a Act) (Case, error) {
	nc, _, err := Apply(c, a)
	if err != nil {
		return c, err
	}
	e.write(r, c, nc)
	return nc, nil
}

// mark changes what the timed messages remember of a case (a reminder was sent) and
// writes it; the card and the history are not concerned.
func (e *Engine) mark(r *replies, c Case, change func(*Case)) Case {
	nc := cloneCase(c)
	change(&nc)
	nc.Version++
	e.write(r, c, nc)
	return nc
}

// ignoreRefusal turns a refusal of the workflow into nothing to do: the case moved on.
func ignoreRefusal(err error) error {
	if errors.Is(err, ErrNotAllowed) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrIncomplete) {
		return nil
	}
	return err
}

// nextDigest is the next daily digest after t, if one is configured.
func (e *Engine) nextDigest(t time.Time) (Job, bool) {
	at, ok := parseClock(e.cfg.Followup.DigestAt)
	if !ok {
		return Job{}, false
	}
	l := t.In(e.cfg.Location)
	due := time.Date(l.Year(), l.Month(), l.Day(), 0, at, 0, 0, e.cfg.Location)
	if !due.After(l) {
		due = time.Date(l.Year(), l.Month(), l.Day()+1, 0, at, 0, 0, e.cfg.Location)
	}
	return Job{ID: digestJobID, Kind: JobDigest, Due: due.UTC()}, true
}

// DigestJob is the next daily digest after now, for a scheduler to make sure one is
// pending; false when no digest is configured.
func (e *Engine) DigestJob(now time.Time) (Job, bool) { return e.nextDigest(now) }

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}
