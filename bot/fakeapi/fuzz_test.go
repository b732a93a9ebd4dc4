package fakeapi_test

import (
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// FuzzSendMessageHTML checks that any text in HTML parse mode is either accepted or refused
// with a 400 (never a crash), and that text without '<' and '&' is stored unchanged.
func FuzzSendMessageHTML(f *testing.F) {
	for _, seed := range []string{
		"plain", "<b>x</b>", "<b>x", "</b>", "a < b", "&lt;&#60;&#x3C;&", "<a href='x'>y</a>",
		"<pre><code class=\"language-go\">x</code></pre>", "<span>x</span>", "<", "&#;", "😀<i>😀</i>",
	} {
		f.Add(seed)
	}
	srv := fakeapi.New(f)
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.APIEndpoint())
	if err != nil {
		f.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	srv.SendText(1, 1, "hi")
	f.Fuzz(func(t *testing.T, text string) {
		cfg := tgbotapi.NewMessage(1, text)
		cfg.ParseMode = tgbotapi.ModeHTML
		msg, err := api.Send(cfg)
		if err != nil {
			if e := apiError(t, err); e.Code != 400 {
				t.Fatalf("Send(%q) error = %+v, want a 400", text, e)
			}
			return
		}
		if !strings.ContainsAny(text, "<&") && msg.Text != strings.TrimSpace(text) {
			t.Errorf("Send(%q) stored %q, want the text unchanged", text, msg.Text)
		}
	})
}
