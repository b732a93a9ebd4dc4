package dialogs_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// TestLLMNotices: with a language model configured, the privacy notice and the question
// prompts name the provider the questions go to; without one they say nothing of it.
func TestLLMNotices(t *testing.T) {
	inputs := []struct {
		name string
		in   dialogs.Input
	}{
		{"/privacy", dialogs.Input{Kind: dialogs.KindText, Text: "/privacy"}},
		{"/ask", dialogs.Input{Kind: dialogs.KindText, Text: "/ask"}},
		{"menu ask", dialogs.Input{Kind: dialogs.KindButton, Data: "m:ask"}},
	}
	for _, provider := range []string{"", "OpenAI (gpt-4o-mini)"} {
		engine := dialogs.NewEngine(dialogs.Config{LLMProvider: provider}, noCases{}, nil)
		for _, tt := range inputs {
			fx, err := engine.Handle(context.Background(), &dialogs.Session{}, tt.in)
			if err != nil || len(fx.Deliveries) == 0 {
				t.Fatalf("%s: %v, %d messages", tt.name, err, len(fx.Deliveries))
			}
			var keys []string
			var named string
			for _, p := range fx.Deliveries[0].Msg.Parts {
				keys = append(keys, p.Key)
				if p.Args["Provider"] != "" {
					named = p.Args["Provider"]
				}
			}
			want := map[string][]string{
				"/privacy": {"privacy.text"}, "/ask": {"kb.ask_prompt"}, "menu ask": {"kb.ask_prompt"},
			}[tt.name]
			if provider != "" {
				want = append(want, map[string]string{"/privacy": "privacy.llm", "/ask": "kb.llm_notice", "menu ask": "kb.llm_notice"}[tt.name])
			}
			if diff := cmp.Diff(want, keys); diff != "" {
				t.Errorf("provider %q, %s (-want +got):\n%s", provider, tt.name, diff)
			}
			if named != provider {
				t.Errorf("provider %q, %s: the notice names %q", provider, tt.name, named)
			}
		}
	}
}

// TestOldDraftAsksAbroadConsent: a draft begun before the separate consent to the transfer
// abroad is not submitted without it; after it the review comes back and submits.
func TestOldDraftAsksAbroadConsent(t *testing.T) {
	engine := dialogs.NewEngine(dialogs.Config{}, noCases{}, nil)
	var created []dialogs.Case
	s := &dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: "old", Field: "review", Values: map[string]string{
		"consent": "yes", "consent_sensitive": "no", "target": "personnel", "key_date": "2026-06-15",
		"applicant_type": "individual", "name": "张三", "ethnicity": "汉族", "occupation": "",
		"address": "贵州省毕节市某某路8号", "phone": "13812345678", "representation": "self", "body": "某某县人民政府",
		"body_address": "", "court": "毕节市中级人民法院", "case_number": "（2021）黔05行终123号", "judgment_date": "2021-10-09",
		"dispute": "land", "request": "请求检察院依法监督审判人员的违法行为", "facts": "审判人员在庭审中拒绝我方提交证据，违反法定程序。", "mediation": "no",
	}}}
	press := func(data string) []dialogs.Message {
		t.Helper()
		fx, err := engine.Handle(context.Background(), s, dialogs.Input{ChatID: 1, UserID: 1, Kind: dialogs.KindButton, Data: data})
		if err != nil || len(fx.Deliveries) == 0 {
			t.Fatalf("%s: %v", data, err)
		}
		for _, w := range fx.Cases {
			created = append(created, w.Case)
		}
		var out []dialogs.Message
		for _, d := range fx.Deliveries {
			if d.To == dialogs.ToChat(1) {
				out = append(out, d.Msg)
			}
		}
		return out
	}
	out := press("r:submit")
	if len(created) != 0 || out[len(out)-1].Parts[1].Key != "ask.consent_abroad" {
		t.Fatalf("submitted without the consent to the transfer abroad: %+v", out)
	}
	press("f:consent_abroad:yes")
	if s.Draft.Field != "review" {
		t.Fatalf("after the consent the review comes back, got field %q", s.Draft.Field)
	}
	out = press("r:submit")
	if len(created) != 1 || out[0].Parts[0].Key != "receipt" {
		t.Fatalf("not submitted after consenting: %+v", out)
	}
	if v := created[0].Values; v["consent_abroad"] != "yes" || v["intake"] != dialogs.IntakeSupervision {
		t.Errorf("values %v", v)
	}
}
