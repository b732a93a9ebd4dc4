package dialogs

import (
	"strconv"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// The case card is the one message per case in the staff group, edited in place as the
// case moves. It carries no personal data (the consent promises that only the staff
// handling a case see it): no name, ID number, phone, address or facts — only the case
// number, where it came from, the dispute type, the court and government body, the
// screening, dates, status, who handles it, and buttons for the valid next actions.

// actionCodes are the short names of staff actions in callback data ("s:<code>:<number>:<version>").
var actionCodes = map[string]Action{
	"acc": ActAccept, "rej": ActReject, "mat": ActMaterials, "min": ActMaterialsIn, "lap": ActLapse,
	"inv": ActInvestigate, "rev": ActReview, "grd": ActGrade, "hea": ActHearing, "tlk": ActTalks,
	"clo": ActClose, "reo": ActReopen, "ext": ActExtend, "rec": ActRectify, "ado": ActAdopted,
	"msg": ActMessage, "not": ActNote, "asg": ActAssign, "vis": ActVisit,
}

// Views staff can ask for from a card, besides actions.
const (
	viewDetails = "det" // the personal details, in a private chat
	viewCard    = "crd" // the card itself, in a private chat
)

func codeOf(a Action) string {
	for c, x := range actionCodes {
		if x == a {
			return c
		}
	}
	return ""
}

// cardActions are the actions a card offers as buttons, in this order, where allowed.
var cardActions = []Action{ActAccept, ActMaterials, ActReject, ActMaterialsIn, ActLapse, ActInvestigate, ActReview,
	ActGrade, ActHearing, ActTalks, ActClose, ActReopen, ActVisit, ActExtend, ActRectify, ActAdopted, ActMessage, ActNote}

// staffButton is a button acting on case c at its current version.
func staffButton(label, code string, c Case) Button {
	return Button{Label: T(label), Data: "s:" + code + ":" + c.Number + ":" + strconv.FormatInt(c.Version, 10)}
}

// Card renders a case's card in lang, dates in loc, counting days to now.
func Card(c Case, lang string, loc *time.Location, now time.Time) Message {
	v := c.Values
	parts := []Text{
		T("card.title", "Number", c.Number).Ref("Source", sourceLabel(sourceOf(c))),
		T("card.status").Ref("Status", "status."+string(c.Status)).Line(),
	}
	if c.Assignee.ID != 0 {
		parts = append(parts, T("card.assignee", "Name", c.Assignee.Name).Line())
	} else if c.Status.Open() {
		parts = append(parts, T("card.unassigned").Line())
	}
	if c.Lead != "" {
		parts = append(parts, T("card.lead", "Name", c.Lead).Line())
	}
	dispute, _, _ := fieldByID("dispute")
	parts = append(parts,
		T("card.dispute").Ref("Dispute", orNone(dispute.label(v["dispute"]))),
		T("card.court", "Court", orDash(v["court"])).Line(),
		T("card.body", "Body", orDash(v["body"])).Line(),
	)
	if c.Source == SourceApplication || c.Source == "" {
		parts = append(parts, staffScreening(c.Screening).Line())
	}
	end := now
	if !c.Closed.IsZero() {
		end = c.Closed
	}
	parts = append(parts, T("card.submitted", "Time", c.Submitted.In(loc).Format("2006-01-02 15:04")).N(daysBetween(c.Submitted, end, loc)))
	if !c.ReviewDue.IsZero() && c.Status.Open() {
		left := parse.DaysBetween(dateIn(now, loc), c.ReviewDue)
		if left >= 0 {
			parts = append(parts, T("card.review_due", "Date", parse.FormatDate(c.ReviewDue)).N(left).Line())
		} else {
			parts = append(parts, T("card.review_over", "Date", parse.FormatDate(c.ReviewDue)).N(-left).Line())
		}
	}
	if c.Grade != nil {
		parts = append(parts, T("card.grade").Ref("Grade", "grade."+c.Grade.Level).Line())
	}
	if c.Materials != nil && c.Status == StatusMaterials {
		parts = append(parts, T("card.materials", "Date", parse.FormatDate(c.Materials.Due)).Line())
	}
	if h := c.Hearing; h != nil && c.Status == StatusHearing {
		parts = append(parts, T("card.hearing", "Time", h.At.In(loc).Format("2006-01-02 15:04"), "Place", h.Place).Line())
	}
	if n := len(c.Rectifications); n > 0 {
		parts = append(parts, T("card.rect", "Adopted", strconv.Itoa(adopted(c))).N(n).Line())
	}
	if c.Outcome != "" {
		parts = append(parts, T("card.outcome").Ref("Outcome", "outcome."+string(c.Outcome)).Line())
	}
	return Message{Lang: lang, Parts: parts, Buttons: cardButtons(c)}
}

// cardButtons offers the valid next actions, then taking the case and the details view.
func cardButtons(c Case) [][]Button {
	var bs []Button
	for _, a := range cardActions {
		if Allowed(c.Status, a, RoleStaff) && (a != ActAdopted || pendingRects(c) > 0) {
			bs = append(bs, staffButton("act."+string(a), codeOf(a), c))
		}
	}
	if c.Assignee.ID == 0 && Allowed(c.Status, ActAssign, RoleStaff) {
		bs = append(bs, staffButton("act.assign_me", codeOf(ActAssign), c))
	}
	bs = append(bs, staffButton("act.details", viewDetails, c))
	var rows [][]Button
	for i := 0; i < len(bs); i += 2 {
		rows = append(rows, bs[i:min(i+2, len(bs))])
	}
	return rows
}

// cardDelivery is the delivery that creates or updates a case's card in the staff group.
func (e *Engine) cardDelivery(c Case) Delivery {
	return Delivery{To: ToStaff(), Card: "card:" + c.Number, Msg: Card(c, e.cfg.StaffLang, e.cfg.Location, e.now())}
}

// sourceLabel is the locale key of a source's name.
func sourceLabel(s Source) string {
	if s == SourceOther {
		return "source.other_source" // "other" is reserved for plural forms
	}
	return "source." + string(s)
}

func sourceOf(c Case) Source {
	if c.Source == "" {
		return SourceApplication
	}
	return c.Source
}

func adopted(c Case) int {
	n := 0
	for _, r := range c.Rectifications {
		if !r.Adopted.IsZero() {
			n++
		}
	}
	return n
}

func pendingRects(c Case) int { return len(c.Rectifications) - adopted(c) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func orNone(key string) string {
	if key == "" {
		return "card.none"
	}
	return key
}

// dateIn is t's calendar day in loc, at midnight UTC (as parse works with dates).
func dateIn(t time.Time, loc *time.Location) time.Time { return dateOf(t.In(loc)) }

// daysBetween counts calendar days in loc from a to b.
func daysBetween(a, b time.Time, loc *time.Location) int {
	return parse.DaysBetween(dateIn(a, loc), dateIn(b, loc))
}
