package dialogs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/locales"
)

func TestSearchTerms(t *testing.T) {
	c := dialogs.Case{Values: map[string]string{"name": "张 三", "agent_name": "Li  Si", "phone": "13812345678",
		"agent_phone": "13812345678", "org_name": "", "facts": "张三的事实"}}
	if diff := cmp.Diff([]string{"n:张三", "n:lisi", "p:13812345678"}, dialogs.SearchTerms(c)); diff != "" {
		t.Errorf("case terms (-want +got):\n%s", diff)
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"name", "张三", []string{"n:张三"}},
		{"latin name in capitals", "LI SI", []string{"n:lisi"}},
		{"mobile with separators", "138-1234-5678", []string{"n:138-1234-5678", "p:13812345678"}},
		{"mobile with country code", "+86 138 1234 5678", []string{"n:+8613812345678", "p:13812345678"}},
		{"landline", "0857-1234567", []string{"n:0857-1234567", "p:08571234567"}},
		{"too few digits for a phone", "5678", []string{"n:5678"}},
		{"only spaces", "   ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, dialogs.QueryTerms(tt.query)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDueForErasure(t *testing.T) {
	now := time.Date(2030, 3, 1, 9, 0, 0, 0, time.UTC)
	const retention = 3 * 365 * 24 * time.Hour
	tests := []struct {
		name string
		c    dialogs.Case
		want bool
	}{
		{"open", dialogs.Case{}, false},
		{"closed a day short of the retention", dialogs.Case{Closed: now.Add(-retention + 24*time.Hour)}, false},
		{"closed exactly the retention ago", dialogs.Case{Closed: now.Add(-retention)}, true},
		{"closed long ago", dialogs.Case{Closed: now.AddDate(-10, 0, 0)}, true},
		{"already erased", dialogs.Case{Closed: now.AddDate(-10, 0, 0), Erased: now.AddDate(-6, 0, 0)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dialogs.DueForErasure(tt.c, now, retention); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

// TestErasePersonalKeepsChoicesOnly: choice answers stay, typed ones go.
func TestErasePersonalKeepsChoicesOnly(t *testing.T) {
	c := dialogs.Case{Number: "JC-2026-000001", Version: 4, ChatID: 5, UserID: 5, DraftID: "d",
		Values: map[string]string{"dispute": "land", "target": "judgment", "name": "张三", "key_date": "2026-01-02",
			"court": "毕节市中级人民法院", "dispute_unknown": "x", "id_type": "resident", "applicant_type": "not-a-choice"}}
	e := dialogs.ErasePersonal(c, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	want := map[string]string{"dispute": "land", "target": "judgment", "id_type": "resident"}
	if diff := cmp.Diff(want, e.Values); diff != "" {
		t.Errorf("values kept (-want +got):\n%s", diff)
	}
	if e.ChatID != 0 || e.UserID != 0 || e.DraftID != "" || e.Version != 5 || e.Erased.IsZero() {
		t.Errorf("erased case %+v", e)
	}
}

// TestPrivacyNoticeSaysHowLong: the notice states the draft time-to-live, the retention
// and /forget, in both languages, as configured.
func TestPrivacyNoticeSaysHowLong(t *testing.T) {
	b, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	render := bot.NewRenderer(b)
	tests := []struct {
		name      string
		retention time.Duration
		lang      string
		want      []string
	}{
		{"default, Chinese", 0, dialogs.LangZh, []string{"7 天", "3 年", "/forget"}},
		{"default, English", 0, dialogs.LangEn, []string{"7 days", "3 years", "/forget"}},
		{"one year", 365 * 24 * time.Hour, dialogs.LangEn, []string{"1 year after", "kept 1 year."}},
		{"days", 1000 * 24 * time.Hour, dialogs.LangEn, []string{"1000 days after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			engine := dialogs.NewEngine(dialogs.Config{CaseRetention: tt.retention, DefaultLang: tt.lang}, noCases{}, nil)
			fx, err := engine.Handle(context.Background(), &dialogs.Session{}, dialogs.Input{Kind: dialogs.KindText, Text: "/privacy"})
			if err != nil {
				t.Fatal(err)
			}
			html, err := render.HTML(fx.Deliveries[0].Msg)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("the notice lacks %q:\n%s", w, html)
				}
			}
			if !slices.ContainsFunc(fx.Deliveries[0].Msg.Buttons, func(r []dialogs.Button) bool { return r[0].Data == "p:delete" }) {
				t.Error("no delete button")
			}
		})
	}
}
