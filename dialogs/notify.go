package dialogs

import (
	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// notice is what the petitioner is told about an event on their case, in their language,
// in plain words: never internal notes or staff names. ok is false for events that do not
// concern them (notes, assignment, rectification suggestions).
func (e *Engine) notice(c Case, ev Event) (Message, bool) {
	t := T("notify."+string(ev.Action), "Number", c.Number)
	var extra []Text
	var buttons [][]Button
	switch ev.Action {
	case ActReject:
		t.Args["Reason"] = ev.Note
		extra = append(extra, T("notify.reject_next", "Phone", e.cfg.Procuratorate.Phone))
	case ActMaterials:
		t.Args["What"] = c.Materials.What
		t.Args["Date"] = parse.FormatDate(c.Materials.Due)
		buttons = replyButtons(c)
	case ActHearing:
		t.Args["Time"] = c.Hearing.At.In(e.cfg.Location).Format("2006-01-02 15:04")
		t.Args["Place"] = c.Hearing.Place
	case ActClose:
		t = t.Ref("Outcome", "outcome."+string(c.Outcome))
	case ActExtend:
		t.Args["Date"] = parse.FormatDate(c.ReviewDue)
	case ActMessage:
		t.Args["Text"] = ev.Note
		buttons = replyButtons(c)
	case ActAccept, ActMaterialsIn, ActLapse, ActInvestigate, ActReview, ActGrade, ActTalks, ActReopen:
	default:
		return Message{}, false
	}
	return Message{Lang: c.Lang, Parts: append([]Text{t}, extra...), Buttons: buttons}, true
}

// replyButtons lets a petitioner answer the staff of a case.
func replyButtons(c Case) [][]Button {
	return [][]Button{row(Button{Label: T("relay.reply"), Data: "y:" + c.Number})}
}

// awaits reports whether, after ev, the case's staff await the petitioner's answer: their
// next messages go to them.
func awaits(ev Event) bool { return ev.Action == ActMaterials || ev.Action == ActMessage }
