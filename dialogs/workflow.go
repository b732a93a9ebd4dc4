package dialogs

import (
	"errors"
	"strconv"
)

// act applies a to c and records everything that follows from it, in the update's
// effects: the case at its new version, its card in the staff group, the petitioner's
// notice (in their language), whether staff now await the petitioner's answer, and the
// audit entry. A refusal of the workflow is returned as Apply's error, with nothing
// recorded.
func (e *Engine) act(r *replies, c Case, a Act) (Case, error) {
	if a.Action == ActClose && a.Outcome.Resolved() && c.ChatID != 0 && !c.CheckinsOff && a.Plan == nil {
		a.Plan = e.checkinPlan(a.At)
	}
	nc, ev, err := Apply(c, a)
	if err != nil {
		return c, err
	}
	e.write(r, c, nc)
	r.send(e.cardDelivery(nc))
	if nc.ChatID != 0 && a.Role != RolePetitioner {
		if m, ok := e.notice(nc, ev); ok {
			r.send(Delivery{To: ToChat(nc.ChatID), Msg: m})
		}
		switch {
		case awaits(ev):
			r.fx.Flags = append(r.fx.Flags, Flag{Chat: nc.ChatID, Name: FlagAwaiting, Value: nc.Number})
		case nc.Status != c.Status:
			// The case moved on: the staff no longer wait for the petitioner's answer.
			r.fx.Flags = append(r.fx.Flags, Flag{Chat: nc.ChatID, Name: FlagAwaiting, IfValue: nc.Number})
		}
	}
	r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: a.At, Actor: ev.By, Name: a.By.Name, Action: string(a.Action),
		Case: nc.Number, Detail: auditDetail(nc, a)})
	return nc, nil
}

// auditDetail is what the audit log says of an act beyond its name: never personal data.
func auditDetail(c Case, a Act) string {
	switch a.Action {
	case ActClose:
		return string(a.Outcome)
	case ActGrade:
		return a.Grade.Level
	case ActAssign:
		return "staff:" + strconv.FormatInt(a.Assignee.ID, 10)
	case ActAdopted:
		return strconv.Itoa(a.RectIndex)
	}
	return ""
}

// refusal explains why the workflow refused an act on c.
func refusal(c Case, err error) Text {
	switch {
	case errors.Is(err, ErrIncomplete):
		return T("staff.incomplete", "Number", c.Number)
	case errors.Is(err, ErrForbidden):
		return T("staff.forbidden", "Number", c.Number)
	}
	return T("staff.not_now", "Number", c.Number).Ref("Status", "status."+string(c.Status))
}
