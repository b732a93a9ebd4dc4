package dialogs

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// Status is where a case stands in the procuratorate's workflow.
type Status string

// The statuses, in the order of the workflow.
const (
	StatusSubmitted     Status = "submitted"     // received, awaiting the acceptance decision
	StatusMaterials     Status = "materials"     // more materials requested from the petitioner
	StatusAccepted      Status = "accepted"      // accepted for review
	StatusNotAccepted   Status = "not_accepted"  // not accepted (final)
	StatusInvestigation Status = "investigation" // investigation and verification (调查核实)
	StatusReview        Status = "review"        // before the prosecutors' joint meeting (检察官联席会议)
	StatusTalks         Status = "talks"         // resolution talks with the government body (沟通对接)
	StatusHearing       Status = "hearing"       // a public hearing is scheduled (公开听证)
	StatusClosed        Status = "closed"        // closed with an outcome
	StatusWithdrawn     Status = "withdrawn"     // withdrawn by the petitioner, or treated as withdrawn (final)
)

// Outcome is how a closed case ended.
type Outcome string

// The outcomes.
const (
	OutcomeSettled        Outcome = "settled"        // settlement (和解)
	OutcomeWithdrawn      Outcome = "withdrawn"      // the petitioner withdrew the application after resolution
	OutcomeAccepted       Outcome = "accepted"       // the petitioner accepts the judgment (服判息诉)
	OutcomeCorrected      Outcome = "corrected"      // the government body corrected its act or paid
	OutcomeRecommendation Outcome = "recommendation" // a retrial recommendation or protest was filed
	OutcomeNotSupported   Outcome = "not_supported"  // the application is not supported
	OutcomeTerminated     Outcome = "terminated"     // review terminated
)

// Outcomes lists every outcome, in the order staff choose from.
var Outcomes = []Outcome{OutcomeSettled, OutcomeWithdrawn, OutcomeAccepted, OutcomeCorrected,
	OutcomeRecommendation, OutcomeNotSupported, OutcomeTerminated}

// Resolved reports whether an outcome resolved the dispute itself (check-ins follow it).
func (o Outcome) Resolved() bool {
	switch o {
	case OutcomeSettled, OutcomeWithdrawn, OutcomeAccepted, OutcomeCorrected:
		return true
	}
	return false
}

// Role is who acts on a case.
type Role string

// The roles.
const (
	RolePetitioner Role = "petitioner"
	RoleStaff      Role = "staff"
	RoleSystem     Role = "system"
)

// Action is something done to a case.
type Action string

// The actions. Those marked "same" keep the status.
const (
	ActSubmit      Action = "submit"       // → submitted (a petitioner's application or a staff registration)
	ActAccept      Action = "accept"       // → accepted
	ActReject      Action = "reject"       // → not accepted; a reason is required
	ActMaterials   Action = "materials"    // → materials; what and by when are required
	ActMaterialsIn Action = "materials_in" // materials → submitted: what was asked for arrived
	ActLapse       Action = "lapse"        // materials → withdrawn: overdue, treated as withdrawn
	ActInvestigate Action = "investigate"  // → investigation
	ActReview      Action = "review"       // → review at the joint meeting
	ActGrade       Action = "grade"        // review → talks, with the grade and its approvals
	ActHearing     Action = "hearing"      // → hearing, with its date, place and officers
	ActTalks       Action = "talks"        // hearing → talks
	ActClose       Action = "close"        // → closed; an outcome is required
	ActReopen      Action = "reopen"       // closed → talks
	ActWithdraw    Action = "withdraw"     // the petitioner withdraws → withdrawn
	ActExtend      Action = "extend"       // same: the review period is extended (the chief's approval)
	ActAssign      Action = "assign"       // same: the assignee changes
	ActNote        Action = "note"         // same: an internal note
	ActRectify     Action = "rectify"      // same: a rectification suggestion is issued
	ActAdopted     Action = "adopted"      // same: a rectification suggestion was adopted
	ActMessage     Action = "message"      // same: staff wrote to the petitioner
	ActReply       Action = "reply"        // same: the petitioner wrote to the staff, or sent a document
	ActFollowup    Action = "followup"     // same: staff add a check-in (/followup)
	ActVisit       Action = "visit"        // same: staff record a follow-up visit in person
	ActCheckin     Action = "checkin"      // same: a check-in was sent or reminded (system), or answered (petitioner)
)

// open are the statuses of a case still being handled.
var open = []Status{StatusSubmitted, StatusMaterials, StatusAccepted, StatusInvestigation, StatusReview, StatusTalks, StatusHearing}

// working are the statuses after acceptance and before closure.
var working = []Status{StatusAccepted, StatusInvestigation, StatusReview, StatusTalks, StatusHearing}

// Open reports whether the case is still being handled.
func (s Status) Open() bool { return slices.Contains(open, s) }

// transition is one row of the workflow: from any of from, action by role leads to to
// ("" keeps the status).
type transition struct {
	action Action
	role   Role
	from   []Status
	to     Status
}

func with(ss []Status, more ...Status) []Status { return append(slices.Clone(ss), more...) }

// transitions is the workflow: every action allowed, by whom, from where, to where.
var transitions = []transition{
	{ActSubmit, RolePetitioner, []Status{""}, StatusSubmitted},
	{ActSubmit, RoleStaff, []Status{""}, StatusSubmitted},
	{ActAccept, RoleStaff, []Status{StatusSubmitted, StatusMaterials}, StatusAccepted},
	{ActReject, RoleStaff, []Status{StatusSubmitted, StatusMaterials}, StatusNotAccepted},
	{ActMaterials, RoleStaff, []Status{StatusSubmitted, StatusMaterials}, StatusMaterials},
	{ActMaterialsIn, RoleStaff, []Status{StatusMaterials}, StatusSubmitted},
	{ActLapse, RoleStaff, []Status{StatusMaterials}, StatusWithdrawn},
	{ActInvestigate, RoleStaff, []Status{StatusAccepted}, StatusInvestigation},
	{ActReview, RoleStaff, []Status{StatusAccepted, StatusInvestigation}, StatusReview},
	{ActGrade, RoleStaff, []Status{StatusReview}, StatusTalks},
	{ActHearing, RoleStaff, []Status{StatusInvestigation, StatusReview, StatusTalks, StatusHearing}, StatusHearing},
	{ActTalks, RoleStaff, []Status{StatusHearing}, StatusTalks},
	{ActClose, RoleStaff, working, StatusClosed},
	{ActReopen, RoleStaff, []Status{StatusClosed}, StatusTalks},
	{ActWithdraw, RolePetitioner, open, StatusWithdrawn},
	{ActExtend, RoleStaff, working, ""},
	{ActAssign, RoleStaff, with(open, StatusClosed), ""},
	{ActNote, RoleStaff, with(open, StatusClosed, StatusNotAccepted, StatusWithdrawn), ""},
	{ActRectify, RoleStaff, []Status{StatusInvestigation, StatusReview, StatusTalks, StatusHearing, StatusClosed}, ""},
	{ActAdopted, RoleStaff, []Status{StatusInvestigation, StatusReview, StatusTalks, StatusHearing, StatusClosed}, ""},
	{ActMessage, RoleStaff, with(open, StatusClosed), ""},
	{ActReply, RolePetitioner, with(open, StatusClosed), ""},
	{ActFollowup, RoleStaff, []Status{StatusClosed}, ""},
	{ActVisit, RoleStaff, []Status{StatusClosed}, ""},
	{ActCheckin, RoleSystem, []Status{StatusClosed}, ""},
	{ActCheckin, RolePetitioner, []Status{StatusClosed}, ""},
}

// Errors of Apply. A user's mistake: the caller explains it.
var (
	ErrNotAllowed = errors.New("not allowed in this status")
	ErrForbidden  = errors.New("not allowed for this role")
	ErrIncomplete = errors.New("a required detail is missing")
)

// Allowed reports whether role may take action on a case in status s.
func Allowed(s Status, action Action, role Role) bool {
	_, ok := find(s, action, role)
	return ok
}

func find(s Status, action Action, role Role) (transition, bool) {
	for _, t := range transitions {
		if t.action == action && t.role == role && slices.Contains(t.from, s) {
			return t, true
		}
	}
	return transition{}, false
}

// Next lists the actions role may take on a case in status s, in the table's order.
func Next(s Status, role Role) []Action {
	var out []Action
	for _, t := range transitions {
		if t.role == role && slices.Contains(t.from, s) && !slices.Contains(out, t.action) {
			out = append(out, t.action)
		}
	}
	return out
}

// Act is one action on a case with its details. Which details are required depends on
// the action (see Apply).
type Act struct {
	Action    Action
	Role      Role
	By        Staffer // the staff user; zero for the petitioner and the system
	At        time.Time
	Ref       string // the update that caused it
	Note      string // the reason (reject), note, or message text
	Outcome   Outcome
	Grade     *Grade
	Hearing   *Hearing
	Materials *Materials
	Rect      *Rectification // rectify
	RectIndex int            // adopted: which suggestion, from 1
	Assignee  Staffer        // assign
	Due       time.Time      // extend: the new end of the review period
	Lead      string         // grade: the lead prosecutor of a major case (default: who graded it)
	Doc       *Attachment    // reply: a document the petitioner sent
	Plan      []time.Time    // close: the check-ins to plan (a resolved outcome); followup: the one added
	Visit     *Visit         // visit
	Checkin   *CheckinStep   // checkin
}

// CheckinStep is what happened to one check-in: it was sent, reminded, or got a result.
type CheckinStep struct {
	N        int
	Sent     bool
	Reminded bool
	Result   CheckinResult
}

// reviewMonths is the normal review period (the 2021 rules: three months).
const reviewMonths = 3

// Apply applies an act to a case and returns the changed case and the event recorded in
// its history. It is pure: it reads nothing and stores nothing; c is not modified. An
// action the workflow does not allow in the case's status returns ErrNotAllowed (or
// ErrForbidden for the role), a missing detail ErrIncomplete.
func Apply(c Case, a Act) (Case, Event, error) {
	t, ok := find(c.Status, a.Action, a.Role)
	if !ok {
		if anyRole(c.Status, a.Action) {
			return c, Event{}, ErrForbidden
		}
		return c, Event{}, ErrNotAllowed
	}
	if err := complete(c, a); err != nil {
		return c, Event{}, err
	}
	c = cloneCase(c)
	switch a.Action {
	case ActSubmit:
		c.Submitted = a.At
	case ActAccept:
		c.Accepted = a.At
		c.ReviewDue = parse.AddMonths(dateOf(a.At), reviewMonths)
		c.Materials = nil
	case ActMaterials:
		m := *a.Materials
		c.Materials = &m
	case ActMaterialsIn:
		c.Materials = nil
	case ActGrade:
		g := *a.Grade
		c.Grade = &g
		switch {
		case g.Level == GradeMajor && a.Lead != "":
			c.Lead = a.Lead
		case g.Level == GradeMajor && c.Lead == "":
			c.Lead = a.By.Name
		}
	case ActHearing:
		h := *a.Hearing
		h.Officers = slices.Clone(h.Officers)
		h.Set, h.Notified, h.Reminded = a.At, time.Time{}, time.Time{}
		c.Hearing = &h
	case ActClose:
		c.Closed, c.Outcome = a.At, a.Outcome
		for _, due := range a.Plan {
			c.Checkins = append(c.Checkins, Checkin{N: len(c.Checkins) + 1, Due: due})
		}
	case ActReopen:
		c.Closed, c.Outcome = time.Time{}, ""
		cancelCheckins(&c, a.At)
	case ActFollowup:
		c.Checkins = append(c.Checkins, Checkin{N: len(c.Checkins) + 1, Due: a.Plan[0], By: actorOf(a)})
	case ActVisit:
		v := *a.Visit
		v.By, v.Recorded = actorOf(a), a.At
		c.Visits = append(c.Visits, v)
	case ActCheckin:
		applyCheckin(&c, a)
	case ActReject, ActLapse, ActWithdraw:
		c.Closed = a.At
	case ActExtend:
		c.ReviewDue = a.Due
	case ActAssign:
		c.Assignee = a.Assignee
	case ActRectify:
		r := *a.Rect
		r.Issued = a.At
		c.Rectifications = append(c.Rectifications, r)
	case ActAdopted:
		c.Rectifications[a.RectIndex-1].Adopted = a.At
	case ActReply:
		if a.Doc != nil {
			c.Docs = append(slices.Clone(c.Docs), *a.Doc)
		}
	}
	if t.to != "" {
		c.Status = t.to
	}
	ev := Event{Time: a.At, Action: a.Action, Status: c.Status, By: actorOf(a), Name: a.By.Name, Note: a.Note, Ref: a.Ref}
	if a.Action == ActCheckin {
		ev.Note = checkinNote(*a.Checkin)
	}
	c.History = append(c.History, ev)
	c.Version++
	return c, ev, nil
}

// anyRole reports whether some role may take the action in status s.
func anyRole(s Status, action Action) bool {
	for _, r := range []Role{RolePetitioner, RoleStaff, RoleSystem} {
		if _, ok := find(s, action, r); ok {
			return true
		}
	}
	return false
}

// complete checks the details an action requires.
func complete(c Case, a Act) error {
	ok := true
	switch a.Action {
	case ActReject, ActNote, ActMessage:
		ok = a.Note != ""
	case ActReply:
		ok = a.Note != "" || a.Doc != nil
	case ActMaterials:
		ok = a.Materials != nil && a.Materials.What != "" && !a.Materials.Due.IsZero()
	case ActGrade:
		ok = a.Grade != nil && a.Grade.Approval != "" && (a.Grade.Level == GradeGeneral ||
			a.Grade.Level == GradeMajor && a.Grade.Consultancy != "")
	case ActHearing:
		ok = a.Hearing != nil && !a.Hearing.At.IsZero() && a.Hearing.Place != ""
	case ActClose:
		ok = slices.Contains(Outcomes, a.Outcome)
	case ActExtend:
		ok = !a.Due.IsZero() && a.Due.After(c.ReviewDue) && a.Note != ""
	case ActAssign:
		ok = a.Assignee.ID != 0
	case ActRectify:
		ok = a.Rect != nil && a.Rect.Body != "" && a.Rect.Content != "" && !a.Rect.Due.IsZero()
	case ActAdopted:
		ok = a.RectIndex >= 1 && a.RectIndex <= len(c.Rectifications) && c.Rectifications[a.RectIndex-1].Adopted.IsZero()
	case ActFollowup:
		ok = len(a.Plan) == 1 && !a.Plan[0].IsZero() && !c.CheckinsOff
	case ActVisit:
		ok = a.Visit != nil && a.Visit.Who != "" && !a.Visit.Date.IsZero()
	case ActCheckin:
		ok = a.Checkin != nil && checkinStepValid(c, *a.Checkin)
	}
	if !ok {
		return ErrIncomplete
	}
	return nil
}

func actorOf(a Act) string {
	switch a.Role {
	case RoleStaff:
		return "staff:" + strconv.FormatInt(a.By.ID, 10)
	case RolePetitioner:
		return "petitioner"
	}
	return "system"
}

// dateOf is the calendar day of t in its own zone, at midnight UTC (as parse works).
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// cloneCase copies what Apply changes in place, so the caller's case stays as it was.
func cloneCase(c Case) Case {
	c.History = slices.Clone(c.History)
	c.Rectifications = slices.Clone(c.Rectifications)
	c.Checkins = slices.Clone(c.Checkins)
	c.Visits = slices.Clone(c.Visits)
	return c
}
