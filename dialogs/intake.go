package dialogs

// How a matter reaches the procuratorate, recorded in a case's values as "intake". A lead
// (线索) is not a supervision application: it takes a shorter path through the same draft
// (no court details without a lawsuit, no deadline screening) and the same review and
// submit, and staff register it from its source.
const (
	IntakeSupervision = "supervision"  // an application against an effective judgment (the default)
	IntakePending     = "lead_pending" // the case is still at first or second instance
	IntakeNoSuit      = "lead_no_suit" // no lawsuit: a petition-bureau referral, unpaid compensation…
)

// intakeOf derives the intake from the screening's first answer.
func intakeOf(d *Draft) string {
	switch d.get("target") {
	case "pending":
		return IntakePending
	case "no_suit":
		return IntakeNoSuit
	}
	return IntakeSupervision
}

func isLead(d *Draft) bool            { return intakeOf(d) != IntakeSupervision }
func supervisionIntake(d *Draft) bool { return intakeOf(d) == IntakeSupervision }
func pendingIntake(d *Draft) bool     { return intakeOf(d) == IntakePending }

// inCourt reports whether there is a court case to describe (court and case number).
func inCourt(d *Draft) bool { return intakeOf(d) != IntakeNoSuit }

// leadVariant returns key+"_lead" for a lead's wording of a question, else key.
func leadVariant(d *Draft, key string) string {
	if isLead(d) {
		return key + "_lead"
	}
	return key
}
