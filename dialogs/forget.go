package dialogs

import (
	"context"
	"fmt"
	"strings"
)

// AuditForget is the audit action of a petitioner's request to erase their data, logged
// on each of their cases.
const AuditForget = "forget"

// askForget answers /forget and the privacy notice's button: the erasure needs a yes.
func (e *Engine) askForget(r *replies, s *Session) {
	s.Confirm = "privacy"
	e.confirmPrompt(r, s)
}

// forget erases at once what the chat left outside its cases: the session with its
// draft, the preferences, the questions handed to staff and the unanswered questions
// (Effects.Forget). Submitted cases stay, as the procuratorate must keep them: the
// petitioner is told so, and the staff of each case get the request (in the assignee's
// private chat, or in the group while nobody handles it: the number only).
func (e *Engine) forget(ctx context.Context, r *replies, s *Session, in Input) error {
	cases, err := e.cases.ByChat(ctx, in.ChatID)
	if err != nil {
		return fmt.Errorf("list cases for chat %d: %w", in.ChatID, err)
	}
	f := &Forget{Chat: in.ChatID}
	if s.Draft != nil {
		f.Drafts = []string{s.Draft.ID}
	}
	*s = Session{}
	r.fx.Forget = f
	r.lang = MatchLang(in.LangCode, e.cfg.DefaultLang)
	parts := []Text{T("forget.done")}
	var kept []string
	for _, c := range cases {
		if !c.Erased.IsZero() {
			continue
		}
		kept = append(kept, c.Number)
		to := ToStaff()
		if c.Assignee.ID != 0 {
			to = ToChat(c.Assignee.ID)
		}
		r.send(Delivery{To: to, Msg: Message{Lang: e.cfg.StaffLang, Parts: []Text{T("forget.staff", "Number", c.Number)}}})
		r.fx.Audit = append(r.fx.Audit, AuditEntry{Time: e.now(), Actor: string(RolePetitioner), Action: AuditForget, Case: c.Number})
	}
	if len(kept) > 0 {
		parts = append(parts, T("forget.cases_kept", "Numbers", strings.Join(kept, ", ")).N(len(kept)))
	}
	e.menu(r, parts...)
	return nil
}
