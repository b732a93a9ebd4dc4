package dialogs_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// workflow is the expected transition table, written out independently of the code: for
// each action, the statuses staff (S) or the petitioner (P) may take it from, and where it
// leads ("=" keeps the status).
var workflow = []struct {
	action dialogs.Action
	role   dialogs.Role
	from   []dialogs.Status
	to     string
}{
	{dialogs.ActAccept, S, st("submitted materials"), "accepted"},
	{dialogs.ActReject, S, st("submitted materials"), "not_accepted"},
	{dialogs.ActMaterials, S, st("submitted materials"), "materials"},
	{dialogs.ActMaterialsIn, S, st("materials"), "submitted"},
	{dialogs.ActLapse, S, st("materials"), "withdrawn"},
	{dialogs.ActInvestigate, S, st("accepted"), "investigation"},
	{dialogs.ActReview, S, st("accepted investigation"), "review"},
	{dialogs.ActGrade, S, st("review"), "talks"},
	{dialogs.ActHearing, S, st("investigation review talks hearing"), "hearing"},
	{dialogs.ActTalks, S, st("hearing"), "talks"},
	{dialogs.ActClose, S, st("accepted investigation review talks hearing"), "closed"},
	{dialogs.ActReopen, S, st("closed"), "talks"},
	{dialogs.ActWithdraw, P, st("submitted materials accepted investigation review talks hearing"), "withdrawn"},
	{dialogs.ActExtend, S, st("accepted investigation review talks hearing"), "="},
	{dialogs.ActAssign, S, st("submitted materials accepted investigation review talks hearing closed"), "="},
	{dialogs.ActNote, S, st("submitted materials accepted investigation review talks hearing closed not_accepted withdrawn"), "="},
	{dialogs.ActRectify, S, st("investigation review talks hearing closed"), "="},
	{dialogs.ActAdopted, S, st("investigation review talks hearing closed"), "="},
	{dialogs.ActMessage, S, st("submitted materials accepted investigation review talks hearing closed"), "="},
	{dialogs.ActReply, P, st("submitted materials accepted investigation review talks hearing closed"), "="},
	{dialogs.ActFollowup, S, st("closed"), "="},
	{dialogs.ActVisit, S, st("closed"), "="},
	{dialogs.ActCheckin, P, st("closed"), "="},
	{dialogs.ActCheckin, dialogs.RoleSystem, st("closed"), "="},
}

const (
	S = dialogs.RoleStaff
	P = dialogs.RolePetitioner
)

var allStatuses = st("submitted materials accepted not_accepted investigation review talks hearing closed withdrawn")

func st(s string) []dialogs.Status {
	var out []dialogs.Status
	for _, f := range strings.Fields(s) {
		out = append(out, dialogs.Status(f))
	}
	return out
}

// complete fills in every detail any action needs, so that only the workflow decides.
func complete(a dialogs.Act) dialogs.Act {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	a.At, a.Note, a.Outcome = at, "note", dialogs.OutcomeSettled
	a.By = dialogs.Staffer{ID: 900, Name: "王检察官"}
	a.Grade = &dialogs.Grade{Level: dialogs.GradeMajor, Approval: "检察长", Consultancy: "专家"}
	a.Hearing = &dialogs.Hearing{At: at.AddDate(0, 0, 10), Place: "听证室"}
	a.Materials = &dialogs.Materials{What: "身份证", Due: at.AddDate(0, 0, 10)}
	a.Rect = &dialogs.Rectification{Body: "镇政府", Content: "支付", Due: at.AddDate(0, 1, 0)}
	a.RectIndex, a.Assignee, a.Due = 1, dialogs.Staffer{ID: 901}, at.AddDate(0, 6, 0)
	a.Visit = &dialogs.Visit{Date: at, Who: "王检察官"}
	if a.Action == dialogs.ActFollowup {
		a.Plan = []time.Time{at.AddDate(0, 0, 7)}
	}
	a.Checkin = &dialogs.CheckinStep{N: 1, Result: dialogs.CheckinFully}
	if a.Role == dialogs.RoleSystem {
		a.Checkin = &dialogs.CheckinStep{N: 1, Result: dialogs.CheckinNoResponse}
	}
	return a
}

// TestWorkflowTable applies every action from every status as every role and checks the
// outcome against the table above: allowed moves go where it says, every other one is
// refused and changes nothing.
func TestWorkflowTable(t *testing.T) {
	for _, w := range workflow {
		for _, from := range allStatuses {
			for _, role := range []dialogs.Role{S, P, dialogs.RoleSystem} {
				t.Run(fmt.Sprintf("%s/%s/%s", w.action, from, role), func(t *testing.T) {
					c := dialogs.Case{Number: "JC-2026-000001", Status: from, Version: 3,
						ReviewDue:      time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC),
						Rectifications: []dialogs.Rectification{{Body: "镇政府", Content: "支付"}},
						Checkins:       []dialogs.Checkin{{N: 1, Due: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), Sent: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}}}
					got, ev, err := dialogs.Apply(c, complete(dialogs.Act{Action: w.action, Role: role}))
					allowed := expected(w.action, role, from)
					if allowed != dialogs.Allowed(from, w.action, role) {
						t.Fatalf("Allowed says %v", !allowed)
					}
					if !allowed {
						if err == nil {
							t.Fatalf("allowed, want refused (now %s)", got.Status)
						}
						if got.Version != c.Version || got.Status != c.Status {
							t.Fatal("a refused action changed the case")
						}
						return
					}
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					want := dialogs.Status(w.to)
					if w.to == "=" {
						want = from
					}
					if got.Status != want || ev.Status != want || got.Version != 4 || len(got.History) != 1 {
						t.Fatalf("got %s v%d, event %+v; want %s v4", got.Status, got.Version, ev, want)
					}
				})
			}
		}
	}
}

// expected reports whether the table above lets role take action from status from (an
// action may have a row per role).
func expected(action dialogs.Action, role dialogs.Role, from dialogs.Status) bool {
	for _, w := range workflow {
		if w.action == action && w.role == role && contains(w.from, from) {
			return true
		}
	}
	return false
}

// TestEveryActionInTheTable: the table above covers every action the workflow knows.
func TestEveryActionInTheTable(t *testing.T) {
	covered := map[dialogs.Action]bool{dialogs.ActSubmit: true}
	for _, w := range workflow {
		covered[w.action] = true
	}
	for _, s := range append([]dialogs.Status{""}, allStatuses...) {
		for _, role := range []dialogs.Role{S, P, dialogs.RoleSystem} {
			for _, a := range dialogs.Next(s, role) {
				if !covered[a] {
					t.Errorf("action %s (from %q by %s) is not in the expected table", a, s, role)
				}
			}
		}
	}
}

// TestApplyRequiresDetails: each action that needs details is refused without them.
func TestApplyRequiresDetails(t *testing.T) {
	base := dialogs.Case{Number: "JC-2026-000001", Version: 1}
	for _, tc := range []struct {
		action dialogs.Action
		from   dialogs.Status
	}{
		{dialogs.ActReject, "submitted"}, {dialogs.ActMaterials, "submitted"}, {dialogs.ActGrade, "review"},
		{dialogs.ActHearing, "talks"}, {dialogs.ActClose, "talks"}, {dialogs.ActExtend, "talks"},
		{dialogs.ActAssign, "talks"}, {dialogs.ActRectify, "talks"}, {dialogs.ActAdopted, "talks"},
		{dialogs.ActNote, "talks"}, {dialogs.ActMessage, "talks"},
	} {
		c := base
		c.Status = tc.from
		role := S
		if _, _, err := dialogs.Apply(c, dialogs.Act{Action: tc.action, Role: role, At: time.Now()}); !errors.Is(err, dialogs.ErrIncomplete) {
			t.Errorf("%s without details: %v, want ErrIncomplete", tc.action, err)
		}
	}
	// A general grade needs no consultancy; a major one does.
	c := base
	c.Status = dialogs.StatusReview
	if _, _, err := dialogs.Apply(c, dialogs.Act{Action: dialogs.ActGrade, Role: S, Grade: &dialogs.Grade{Level: dialogs.GradeGeneral, Approval: "副检察长"}}); err != nil {
		t.Errorf("general grade: %v", err)
	}
	if _, _, err := dialogs.Apply(c, dialogs.Act{Action: dialogs.ActGrade, Role: S, Grade: &dialogs.Grade{Level: dialogs.GradeMajor, Approval: "检察长"}}); !errors.Is(err, dialogs.ErrIncomplete) {
		t.Errorf("major grade without consultancy: %v", err)
	}
}

// TestApplyIsPure: Apply does not change the case it is given.
func TestApplyIsPure(t *testing.T) {
	c := dialogs.Case{Number: "JC-2026-000001", Status: dialogs.StatusTalks, Version: 2,
		History: make([]dialogs.Event, 1, 4), Rectifications: make([]dialogs.Rectification, 1, 4)}
	c.Rectifications[0] = dialogs.Rectification{Body: "镇政府"}
	before := fmt.Sprintf("%+v", c)
	if _, _, err := dialogs.Apply(c, complete(dialogs.Act{Action: dialogs.ActAdopted, Role: S})); err != nil {
		t.Fatal(err)
	}
	if _, _, err := dialogs.Apply(c, complete(dialogs.Act{Action: dialogs.ActRectify, Role: S})); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%+v", c); after != before {
		t.Errorf("Apply changed its input:\nbefore %s\nafter  %s", before, after)
	}
	if !c.Rectifications[0].Adopted.IsZero() {
		t.Error("Apply marked the caller's suggestion adopted")
	}
}

func contains(ss []dialogs.Status, s dialogs.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
