package intent_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// situationOf classifies a story and fails unless it is one.
func situationOf(t *testing.T, text string) intent.Situation {
	t.Helper()
	r := intent.Classify(text)
	if r.Story == nil {
		t.Fatalf("Classify(%q) = %s, want a story", text, r.Kind)
	}
	return *r.Story
}

func TestSituationAnswer(t *testing.T) {
	type step struct{ question, choice string }
	tests := []struct {
		name      string
		text      string
		steps     []step
		wantRoute intent.Route
		wantStage intent.Stage
		wantNext  []string // ids of the questions still open
	}{
		{"lost twice, no retrial yet", "我跟区政府打官司，二审输了", []step{{intent.QuestionRetrial, intent.ChoiceNo}},
			intent.RouteRetrialFirst, intent.StageLostSecond, nil},
		{"lost twice, retrial rejected", "我跟区政府打官司，二审输了", []step{{intent.QuestionRetrial, intent.ChoiceRejected}},
			intent.RouteSupervisionNow, intent.StageRetrialRejected, nil},
		{"lost twice, retrial pending", "我跟区政府打官司，二审输了", []step{{intent.QuestionRetrial, intent.ChoicePending}},
			intent.RouteTooEarly, intent.StageRetrialPending, nil},
		{"dispute only, never sued", "我家的房子被强拆了", []step{{intent.QuestionCourt, intent.ChoiceNoLawsuit}},
			intent.RouteReconsiderOrSue, intent.StageNoLawsuit, nil},
		{"dispute only, in court", "我家的房子被强拆了", []step{{intent.QuestionCourt, intent.ChoicePending}},
			intent.RouteTooEarly, intent.StageFirstPending, nil},
		{"dispute only, lost: the retrial question follows", "我家的房子被强拆了", []step{{intent.QuestionCourt, intent.ChoiceLost}},
			intent.RouteUnknown, intent.StageLost, []string{intent.QuestionRetrial}},
		{"dispute only, lost, then rejected", "我家的房子被强拆了",
			[]step{{intent.QuestionCourt, intent.ChoiceLost}, {intent.QuestionRetrial, intent.ChoiceRejected}},
			intent.RouteSupervisionNow, intent.StageRetrialRejected, nil},
		{"dispute only, lost, then no retrial", "我家的房子被强拆了",
			[]step{{intent.QuestionCourt, intent.ChoiceLost}, {intent.QuestionRetrial, intent.ChoiceNo}},
			intent.RouteRetrialFirst, intent.StageLost, nil},
		{"skipping to the retrial question", "我家的房子被强拆了", []step{{intent.QuestionRetrial, intent.ChoiceNo}},
			intent.RouteRetrialFirst, intent.StageLost, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := situationOf(t, tt.text)
			for _, st := range tt.steps {
				var ok bool
				if s, ok = s.Answer(st.question, st.choice); !ok {
					t.Fatalf("Answer(%q, %q) refused; questions %+v", st.question, st.choice, s.Questions)
				}
			}
			var next []string
			for _, q := range s.Questions {
				next = append(next, q.ID)
			}
			if s.Route != tt.wantRoute || s.Stage != tt.wantStage || !cmp.Equal(next, tt.wantNext) {
				t.Errorf("after %v: route %s, stage %s, next %v; want %s, %s, %v",
					tt.steps, s.Route, s.Stage, next, tt.wantRoute, tt.wantStage, tt.wantNext)
			}
		})
	}
}

func TestSituationAnswerRefuses(t *testing.T) {
	s := situationOf(t, "我跟区政府打官司，二审输了") // asks only the retrial question
	tests := []struct{ name, question, choice string }{
		{"question not asked", intent.QuestionCourt, intent.ChoicePending},
		{"unknown question", "age", "old"},
		{"choice not offered", intent.QuestionRetrial, intent.ChoiceLost},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Answer(tt.question, tt.choice)
			if ok || !cmp.Equal(got, s) {
				t.Errorf("Answer(%q, %q) = %+v, %v; want the situation unchanged and false", tt.question, tt.choice, got, ok)
			}
		})
	}
}

// TestSituationQuestionsBounded: whatever a story says, at most two questions are asked,
// each with two or three choices, and only while the route is unknown.
func TestSituationQuestionsBounded(t *testing.T) {
	for _, m := range loadFirstMessages(t) {
		r := intent.Classify(m.Text)
		if r.Story == nil {
			continue
		}
		s := *r.Story
		if (s.Route == intent.RouteUnknown) != (len(s.Questions) > 0) || len(s.Questions) > 2 {
			t.Errorf("%q: route %s with %d questions", m.Text, s.Route, len(s.Questions))
		}
		for _, q := range s.Questions {
			if len(q.Choices) < 2 || len(q.Choices) > 3 {
				t.Errorf("%q: question %s has %d choices", m.Text, q.ID, len(q.Choices))
			}
		}
	}
}
