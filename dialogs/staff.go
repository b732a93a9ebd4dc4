package dialogs

import (
	"strconv"
	"time"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// StaffAlert is the one message the staff chat gets for a newly submitted case, in the
// staff's language. It carries no documents and masks identity numbers to their last four
// characters; times are shown in loc.
func StaffAlert(c Case, lang string, loc *time.Location) Message {
	v := c.Values
	name := v["name"]
	if v["applicant_type"] == "org" {
		name = v["org_name"]
	}
	id := v["id_number"]
	if id == "" {
		id = v["other_doc_number"]
	}
	masked := "—"
	if id != "" {
		masked = parse.MaskID(id)
	}
	agent := "staff.agent.no"
	if v["representation"] == "agent" {
		agent = "staff.agent.yes"
	}
	dispute, _, _ := fieldByID("dispute")
	t := T("staff.new",
		"Number", c.Number,
		"Name", name,
		"ID", masked,
		"Court", v["court"],
		"CaseNumber", v["case_number"],
		"Body", v["body"],
		"Docs", strconv.Itoa(len(c.Docs)),
		"Time", c.Submitted.In(loc).Format("2006-01-02 15:04"),
	).Ref("Dispute", dispute.label(v["dispute"])).Ref("Agent", agent)
	parts := []Text{t, staffScreening(c.Screening)}
	return Message{Lang: lang, Parts: parts}
}

func staffScreening(s Screening) Text {
	switch s.Result {
	case ScreenNotNow:
		return T("staff.screen.not_now").Ref("Reason", "retrial."+s.Reason)
	case ScreenOpen, ScreenClose, ScreenPassed:
		key := "staff.screen." + s.Result
		if s.Estimate {
			key += "_estimate"
		}
		return T(key, "Deadline", s.Deadline).N(s.DaysLeft)
	}
	return T("staff.screen.unknown")
}

// StaffWithdrawn tells the staff chat that a petitioner withdrew a case.
func StaffWithdrawn(c Case, lang string, loc *time.Location, at time.Time) Message {
	return Message{Lang: lang, Parts: []Text{
		T("staff.withdrawn", "Number", c.Number, "Time", at.In(loc).Format("2006-01-02 15:04")),
	}}
}
