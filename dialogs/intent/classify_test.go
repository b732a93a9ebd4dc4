package intent_test

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs/intent"
)

// got is the part of a Reading the table tests compare.
type got struct {
	Kind         intent.Kind
	Talk         intent.Talk
	Lang         string
	Alternatives []intent.Kind
	Route        intent.Route
	Stage        intent.Stage
	Written      string
}

func project(r intent.Reading, written bool) got {
	g := got{Kind: r.Kind, Talk: r.Talk, Lang: r.Lang, Alternatives: r.Alternatives}
	if r.Story != nil {
		g.Route, g.Stage = r.Story.Route, r.Story.Stage
	}
	if written {
		g.Written = r.Written
	}
	return g
}

func TestClassifyTrickyCases(t *testing.T) {
	story := func(route intent.Route, stage intent.Stage) got {
		return got{Kind: intent.Story, Route: route, Stage: stage}
	}
	ask := func(ks ...intent.Kind) got { return got{Kind: intent.Ambiguous, Alternatives: ks} }
	tests := []struct {
		name, text string
		want       got
	}{
		// negation
		{"no longer wants to apply is a withdrawal", "不想申请了", got{Kind: intent.Withdraw}},
		{"not applying, only asking, is a question", "我不是要申请，只想问问要不要钱", got{Kind: intent.Question}},
		{"no need for a person", "不用转人工", got{Kind: intent.None}},
		{"do not delete is a question about data", "不要删除我的信息", got{Kind: intent.Question}},
		{"english negated person", "I don't want to talk to a person", got{Kind: intent.None}},
		{"negated retrial application", "二审输了，我没有申请再审", story(intent.RouteRetrialFirst, intent.StageLostSecond)},
		{"negated retrial with a gap", "一审二审都输了，没向上级法院申请再审", story(intent.RouteRetrialFirst, intent.StageLostSecond)},
		{"english negated lawsuit", "The town took my land and I have not sued yet", story(intent.RouteReconsiderOrSue, intent.StageNoLawsuit)},
		{"not knowing is not a negation", "我不知道我的案子怎么样了", got{Kind: intent.Status}},
		{"no result yet is still status", "怎么还没有消息", got{Kind: intent.Status}},
		{"negation stops at the clause", "我不懂，我要申请监督", got{Kind: intent.Apply}},

		// ambiguity
		{"withdraw a lawsuit", "我想撤诉", ask(intent.Withdraw, intent.Question)},
		{"apply alone", "申请", ask(intent.Apply, intent.Question)},
		{"apply with a question mark", "申请监督？", ask(intent.Apply, intent.Question)},
		{"two clear intents", "我要申请，也要转人工", ask(intent.Apply, intent.Human)},
		{"english withdraw lawsuit", "I want to withdraw the lawsuit", ask(intent.Withdraw, intent.Question)},
		{"withdrawing a suit asked about is a question", "撤诉了还能申请监督吗", got{Kind: intent.Question}},

		// typos, variants, width
		{"申述 for 申诉", "我想申述", got{Kind: intent.Apply}},
		{"进渡 for 进度", "进渡", got{Kind: intent.Status}},
		{"转人公 for 转人工", "转人公", got{Kind: intent.Human}},
		{"撒回 for 撤回", "撒回申请", got{Kind: intent.Withdraw}},
		{"拨回 for 驳回", "再审被拨回了", story(intent.RouteSupervisionNow, intent.StageRetrialRejected)},
		{"俺 for 我", "俺要申请监督", got{Kind: intent.Apply}},
		{"english typo", "I want to aply", got{Kind: intent.Apply}},
		{"english retrail", "my retrail was rejected", story(intent.RouteSupervisionNow, intent.StageRetrialRejected)},
		{"full-width latin", "ｈｅｌｌｏ", got{Kind: intent.SmallTalk, Talk: intent.Greeting}},
		{"full-width punctuation", "我要申请监督！！", got{Kind: intent.Apply}},
		{"traditional characters", "刪除我的資料", got{Kind: intent.Privacy}},
		{"spaces between characters", "我 要 申 请 监 督", got{Kind: intent.Apply}},

		// questions against intents
		{"how to apply is a question", "怎么申请", got{Kind: intent.Question}},
		{"english how to apply", "How do I apply?", got{Kind: intent.Question}},
		{"wish plus a specific question", "我想申请，要交钱吗", got{Kind: intent.Question}},
		{"wish plus how is the wish", "我想申请检察监督，怎么弄", got{Kind: intent.Apply}},
		{"how long is a question", "审查要多久", got{Kind: intent.Question}},

		// precedence
		{"a retrial story beats the wish to apply", "法院驳回了我的再审申请，我想申请监督", story(intent.RouteSupervisionNow, intent.StageRetrialRejected)},
		{"a person beats a story", "二审输了，我要找检察官当面说", got{Kind: intent.Human}},
		{"greeting then an intent", "你好，我要申请监督", got{Kind: intent.Apply}},
		{"greeting then a question", "你好，请问申请要钱吗", got{Kind: intent.Question}},
		{"identity then a person", "你是机器人吗？我要找真人", got{Kind: intent.Human}},
		{"thanks and goodbye is goodbye", "谢谢，再见", got{Kind: intent.SmallTalk, Talk: intent.Goodbye}},
		{"a general question naming a dispute is no story", "强拆可以申请监督吗", got{Kind: intent.Question}},
		{"suing asked about is no story", "打官司要多少钱", got{Kind: intent.Question}},

		// stories
		{"still at first instance", "我起诉了县政府，一审还没判", story(intent.RouteTooEarly, intent.StageFirstPending)},
		{"appealed, pending", "一审输了，我上诉了，还没判", story(intent.RouteTooEarly, intent.StageSecondPending)},
		{"retrial pending", "申请了再审，法院还在审查", story(intent.RouteTooEarly, intent.StageRetrialPending)},
		{"retrial not ruled in time", "再审申请交上去一年了，法院一直没有裁定", story(intent.RouteSupervisionNow, intent.StageRetrialLate)},
		{"retried and lost", "再审也判我输了", story(intent.RouteSupervisionNow, intent.StageRetrialLost)},
		{"lost twice, retrial not told", "我跟区政府打官司，二审输了", story(intent.RouteUnknown, intent.StageLostSecond)},
		{"a dispute told, court not told", "我家的房子被强拆了", story(intent.RouteUnknown, intent.StageUnknown)},
		{"rejected without a court is no story", "我的申请被驳回了", got{Kind: intent.Question}},

		// languages
		{"speak english", "说英语", got{Kind: intent.Language, Lang: intent.LangEn}},
		{"chinese alone", "中文", got{Kind: intent.Language, Lang: intent.LangZh}},
		{"can you speak chinese", "Can you speak Chinese?", got{Kind: intent.Language, Lang: intent.LangZh}},

		// nothing
		{"empty", "", got{Kind: intent.None}},
		{"punctuation only", "？？？。。", got{Kind: intent.None}},
		{"emoji", "🙂🙂", got{Kind: intent.None}},
		{"off topic", "明天贵阳下雨吗", got{Kind: intent.None}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := intent.Classify(tt.text)
			if diff := cmp.Diff(tt.want, project(r, false)); diff != "" {
				t.Errorf("Classify(%q) mismatch (-want +got):\n%s\nrules %v", tt.text, diff, r.Rules)
			}
		})
	}
}

func TestClassifyWritten(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"chinese", "你好", intent.LangZh},
		{"english", "hello there", intent.LangEn},
		{"mostly chinese with a word", "我要apply", intent.LangZh},
		{"mostly english with a character", "I want to 申请 for supervision now", intent.LangEn},
		{"digits only", "12345", ""},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := intent.Classify(tt.text).Written; got != tt.want {
				t.Errorf("Classify(%q).Written = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestClassifyStoryDetails(t *testing.T) {
	r := intent.Classify("镇政府把我家房子强拆了，我起诉了，一审二审都输了，现在怎么办")
	want := &intent.Situation{
		Body: "township", Dispute: "demolition", Stage: intent.StageLostSecond, Route: intent.RouteUnknown,
		Questions: []intent.RouteQuestion{{ID: intent.QuestionRetrial, Choices: []string{intent.ChoiceNo, intent.ChoicePending, intent.ChoiceRejected}}},
	}
	if diff := cmp.Diff(want, r.Story); diff != "" {
		t.Errorf("story mismatch (-want +got):\n%s", diff)
	}
	// The most specific body and dispute named win.
	r = intent.Classify("乡政府一直不给我征地补偿款，我没有打过官司")
	if r.Story == nil || r.Story.Body != "township" || r.Story.Dispute != "land_compensation" {
		t.Errorf("story = %+v, want township / land_compensation", r.Story)
	}
}

func TestClassifyConcurrent(t *testing.T) {
	texts := []string{"你好", "我要申请监督", "二审输了，我没有申请再审", "How do I apply?", "转人工"}
	want := make([]intent.Reading, len(texts))
	for i, s := range texts {
		want[i] = intent.Classify(s)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, s := range texts {
				if diff := cmp.Diff(want[i], intent.Classify(s)); diff != "" {
					t.Errorf("concurrent Classify(%q) differs:\n%s", s, diff)
				}
			}
		})
	}
	wg.Wait()
}
