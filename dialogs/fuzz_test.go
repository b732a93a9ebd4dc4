package dialogs_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/locales"
)

// fuzzFields are steps that take typed text, each with the answers that lead to it.
var fuzzFields = []string{"key_date", "name", "id_number", "org_code", "phone", "address",
	"case_number", "judgment_date", "request", "facts", "documents", "review", "consent", "dispute"}

// FuzzHandle types arbitrary text (10,000 characters, control characters, HTML, emoji…)
// at every kind of step: the engine never panics, always answers, and every answer
// renders from the locales within Telegram's limits.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{"", "<b>x</b>", "\x00\x07\x1b", "😀", strings.Repeat("长", 10000), "/start", "/ask 抗诉", "2024-02-30", "1"} {
		f.Add(s, uint8(0))
	}
	b, err := locales.Bundle()
	if err != nil {
		f.Fatal(err)
	}
	render := bot.NewRenderer(b)
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai)
	engine := dialogs.NewEngine(dialogs.Config{Now: func() time.Time { return now }, Location: shanghai}, noCases{}, nil)
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		field := fuzzFields[int(which)%len(fuzzFields)]
		s := &dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: "d", Field: field, Values: map[string]string{
			"consent": "yes", "consent_sensitive": "yes", "target": "judgment", "retrial": "rejected",
			"applicant_type": "individual", "id_type": "resident",
		}}}
		if field == "org_code" {
			s.Draft.Values["applicant_type"] = "org"
		}
		fx, err := engine.Handle(context.Background(), s, dialogs.Input{ChatID: 1, UserID: 1, Kind: dialogs.KindText, Text: text})
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		if len(fx.Deliveries) == 0 {
			t.Fatal("no answer")
		}
		for _, d := range fx.Deliveries {
			html, err := render.HTML(d.Msg)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if !utf8.ValidString(html) {
				t.Fatal("invalid UTF-8 in an answer")
			}
			for _, part := range bot.Split(html, bot.MaxText) {
				if len([]rune(part)) > bot.MaxText {
					t.Fatalf("a part of %d characters", len([]rune(part)))
				}
			}
		}
	})
}

// noCases is a register that is never reached by typed text at these steps.
type noCases struct{}

func (noCases) Reserve(context.Context, string, int) (string, error) { return "JC-2026-000001", nil }
func (noCases) Get(context.Context, string) (dialogs.Case, error) {
	return dialogs.Case{}, dialogs.ErrNotFound
}
func (noCases) ByChat(context.Context, int64) ([]dialogs.Case, error) { return nil, nil }
func (noCases) List(context.Context) ([]dialogs.Case, error)          { return nil, nil }
func (noCases) AuditLog(context.Context, string) ([]dialogs.AuditEntry, error) {
	return nil, nil
}
func (noCases) Question(context.Context, string) (dialogs.Question, error) {
	return dialogs.Question{}, dialogs.ErrNotFound
}
func (noCases) Find(context.Context, []string) ([]dialogs.Case, error) { return nil, nil }
