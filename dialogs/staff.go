package dialogs

// staffScreening is the screening line of a card, for staff.
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
