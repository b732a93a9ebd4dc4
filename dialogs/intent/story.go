package intent

import "slices"

// Stage is how far the petitioner's dispute has gone in the courts, as far as the story
// tells.
type Stage string

// The stages. A later stage in this list is further along.
const (
	StageUnknown         Stage = "unknown"          // nothing said about a lawsuit
	StageNoLawsuit       Stage = "no_lawsuit"       // never sued
	StageSued            Stage = "sued"             // sued; outcome not told
	StageFirstPending    Stage = "first_pending"    // first instance (or an unnamed instance) still running
	StageLost            Stage = "lost"             // lost; instance not told
	StageLostFirst       Stage = "lost_first"       // lost at first instance only
	StageSecondPending   Stage = "second_pending"   // appealed; second instance still running
	StageLostSecond      Stage = "lost_second"      // lost at second instance
	StageRetrialApplied  Stage = "retrial_applied"  // applied to the court for retrial; outcome not told
	StageRetrialPending  Stage = "retrial_pending"  // the court is still reviewing the retrial application
	StageRetrialRejected Stage = "retrial_rejected" // the retrial application was rejected
	StageRetrialLate     Stage = "retrial_late"     // the court did not rule on it in time
	StageRetrialLost     Stage = "retrial_lost"     // retried, and lost again
)

// Route is what the petitioner should do next.
type Route string

// The routes.
const (
	// RouteUnknown: the story does not say enough; ask Situation.Questions.
	RouteUnknown Route = "unknown"
	// RouteRetrialFirst: lost at first or second instance, no retrial application yet.
	// Apply to the court one level up for a retrial first, within six months of the
	// judgment taking effect (行政诉讼法 Art. 90; SPC interpretation 2018 Art. 110).
	RouteRetrialFirst Route = "retrial_first"
	// RouteSupervisionNow: the retrial application was rejected, not ruled on in time, or
	// the retrial judgment is wrong. Apply to the procuratorate for supervision within six
	// months (人民检察院行政诉讼监督规则 2021, Arts. 19–20).
	RouteSupervisionNow Route = "supervision_now"
	// RouteTooEarly: still in court (first or second instance, or the retrial application
	// is being reviewed); the procuratorate does not accept the case yet.
	RouteTooEarly Route = "too_early"
	// RouteReconsiderOrSue: no lawsuit yet. Administrative reconsideration within 60 days
	// (行政复议法 Art. 20) or a lawsuit within six months (行政诉讼法 Art. 46).
	RouteReconsiderOrSue Route = "reconsider_or_sue"
)

// Entries returns the ids of the knowledge-base entries that explain the route, best
// first; nil for RouteUnknown.
func (r Route) Entries() []string {
	switch r {
	case RouteRetrialFirst:
		return []string{"apply.retrial-first", "litigation.retrial"}
	case RouteSupervisionNow:
		return []string{"apply.deadline", "apply.grounds"}
	case RouteTooEarly:
		return []string{"apply.not-accepted"}
	case RouteReconsiderOrSue:
		return []string{"reconsideration.basics", "litigation.deadline"}
	}
	return nil
}

// The ids of the questions that decide a route, and their choices. The bot renders them
// through its locales and passes the chosen value to Situation.Answer.
const (
	// QuestionCourt: "Has your case been to court?"
	QuestionCourt = "court"
	// QuestionRetrial: "Did you apply to the court for a retrial?"
	QuestionRetrial = "retrial"

	ChoiceNoLawsuit = "no_lawsuit" // court: I have not sued
	ChoicePending   = "pending"    // court: still in court; retrial: the court is still reviewing it
	ChoiceLost      = "lost"       // court: I lost and the judgment is final
	ChoiceNo        = "no"         // retrial: I have not applied for a retrial
	ChoiceRejected  = "rejected"   // retrial: rejected, not ruled on in time, or retried and lost
)

// RouteQuestion is one question to ask with buttons, one per choice.
type RouteQuestion struct {
	ID      string   // QuestionCourt or QuestionRetrial
	Choices []string // the Choice* values offered, in display order
}

// Situation is what a story tells about the petitioner's case.
type Situation struct {
	// Body is the government body named, a stable id such as "township", "county",
	// "land_bureau" or "government"; "" when none is named. The first in the lexicon's
	// order wins, so the most specific one named is kept.
	Body string
	// Dispute is what the dispute is about, a stable id such as "demolition",
	// "land_compensation", "expropriation", "compensation", "penalty"; "" when not named.
	Dispute string
	// Stage is how far the case has gone in court.
	Stage Stage
	// NoRetrial is true when the petitioner said they have not applied for a retrial.
	NoRetrial bool
	// Route follows from Stage and NoRetrial.
	Route Route
	// Questions is empty unless Route is RouteUnknown; then it holds one or two questions
	// in the order to ask them. Ask the first, pass the answer to Answer, and ask the
	// next question of the result while its Route is still unknown.
	Questions []RouteQuestion
}

// newSituation returns a situation with its route and questions worked out.
func newSituation(body, dispute string, stage Stage, noRetrial bool) Situation {
	s := Situation{Body: body, Dispute: dispute, Stage: stage, NoRetrial: noRetrial}
	s.Route, s.Questions = route(stage, noRetrial)
	return s
}

// route maps what is known to a route, or to the questions that would decide it.
func route(stage Stage, noRetrial bool) (Route, []RouteQuestion) {
	askRetrial := RouteQuestion{ID: QuestionRetrial, Choices: []string{ChoiceNo, ChoicePending, ChoiceRejected}}
	switch stage {
	case StageNoLawsuit:
		return RouteReconsiderOrSue, nil
	case StageFirstPending, StageSecondPending, StageRetrialPending:
		return RouteTooEarly, nil
	case StageRetrialRejected, StageRetrialLate, StageRetrialLost:
		return RouteSupervisionNow, nil
	case StageLost, StageLostFirst, StageLostSecond:
		if noRetrial {
			return RouteRetrialFirst, nil
		}
		return RouteUnknown, []RouteQuestion{askRetrial}
	case StageRetrialApplied:
		return RouteUnknown, []RouteQuestion{{ID: QuestionRetrial, Choices: []string{ChoicePending, ChoiceRejected}}}
	case StageSued:
		return RouteUnknown, []RouteQuestion{{ID: QuestionCourt, Choices: []string{ChoicePending, ChoiceLost}}, askRetrial}
	}
	return RouteUnknown, []RouteQuestion{{ID: QuestionCourt, Choices: []string{ChoiceNoLawsuit, ChoicePending, ChoiceLost}}, askRetrial}
}

// Answer returns the situation updated with the petitioner's answer to one of its
// Questions, with its Route and Questions worked out again. It returns the situation
// unchanged and false when question is not among s.Questions or choice is not one of its
// choices.
func (s Situation) Answer(question, choice string) (Situation, bool) {
	i := slices.IndexFunc(s.Questions, func(q RouteQuestion) bool { return q.ID == question })
	if i < 0 || !slices.Contains(s.Questions[i].Choices, choice) {
		return s, false
	}
	stage, noRetrial := s.Stage, s.NoRetrial
	switch question + ":" + choice {
	case QuestionCourt + ":" + ChoiceNoLawsuit:
		stage = StageNoLawsuit
	case QuestionCourt + ":" + ChoicePending:
		stage = StageFirstPending
	case QuestionCourt + ":" + ChoiceLost:
		stage = StageLost
	case QuestionRetrial + ":" + ChoiceNo:
		noRetrial = true
		if !lostStage(stage) {
			stage = StageLost // only someone who lost applies for a retrial
		}
	case QuestionRetrial + ":" + ChoicePending:
		stage, noRetrial = StageRetrialPending, false
	case QuestionRetrial + ":" + ChoiceRejected:
		stage, noRetrial = StageRetrialRejected, false
	}
	return newSituation(s.Body, s.Dispute, stage, noRetrial), true
}

func lostStage(s Stage) bool { return s == StageLost || s == StageLostFirst || s == StageLostSecond }
