package fakeapi_test

import (
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// TestSendFiles: an uploaded document is kept with its name and content; a photo by file
// id must be a file the server knows; a caption over 1024 characters is refused.
func TestSendFiles(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendPhoto(10, 10, "photo-1")

	doc := tgbotapi.NewDocument(10, tgbotapi.FileBytes{Name: "cases.csv", Bytes: []byte("\ufeffnumber\nJC-2026-000001\n")})
	doc.Caption, doc.ParseMode = "<b>1</b> case", tgbotapi.ModeHTML
	if _, err := api.Send(doc); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if _, err := api.Send(tgbotapi.NewPhoto(10, tgbotapi.FileID("photo-1"))); err != nil {
		t.Fatalf("photo by id: %v", err)
	}
	if _, err := api.Send(tgbotapi.NewPhoto(10, tgbotapi.FileID("nope"))); err == nil {
		t.Error("an unknown file id was accepted")
	}
	long := tgbotapi.NewDocument(10, tgbotapi.FileID("photo-1"))
	long.Caption = strings.Repeat("长", 1025)
	if _, err := api.Send(long); err == nil || !strings.Contains(err.Error(), "caption is too long") {
		t.Errorf("a 1025-character caption: %v", err)
	}
	sent := srv.Sent(10)
	if len(sent) != 2 || sent[0].File == nil || sent[1].File == nil {
		t.Fatalf("sent %+v", sent)
	}
	if f := sent[0].File; f.Kind != "document" || f.Name != "cases.csv" || !strings.Contains(string(f.Content), "JC-2026-000001") || sent[0].PlainText != "1 case" {
		t.Errorf("upload recorded as %+v, caption %q", f, sent[0].PlainText)
	}
	if f := sent[1].File; f.Kind != "photo" || f.FileID != "photo-1" {
		t.Errorf("photo recorded as %+v", f)
	}
}
