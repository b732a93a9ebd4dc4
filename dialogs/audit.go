package dialogs

import "time"

// AuditEntry is one line of the audit log: a staff action, or a view or export of personal
// data. The log is append-only: the bot offers no way to edit or delete it.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`          // "staff:<user id>", "petitioner", "system"
	Name   string    `json:"name,omitempty"` // the staff user's name
	Action string    `json:"action"`         // an Action, or AuditView, AuditExport, AuditFind
	Case   string    `json:"case,omitempty"` // the case number, if about one case
	Detail string    `json:"detail,omitempty"`
}

// Audit actions besides case actions.
const (
	AuditView   = "view"   // a staff user opened a case's personal details
	AuditExport = "export" // a staff user exported cases
	AuditFind   = "find"   // a staff user searched cases by name or phone
)
