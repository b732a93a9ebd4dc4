package fakeapi_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

func keyboard() tgbotapi.InlineKeyboardMarkup {
	return tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Yes", "c:yes"), tgbotapi.NewInlineKeyboardButtonData("No", "c:no")),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Site", "https://example.org")),
	)
}

func TestSendMessageIsRecorded(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendText(10, 10, "hi")

	cfg := tgbotapi.NewMessage(10, "<b>Sign</b> the petition &amp; share")
	cfg.ParseMode = tgbotapi.ModeHTML
	cfg.ReplyMarkup = keyboard()
	got, err := api.Send(cfg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got.MessageID != 2 || got.Text != "Sign the petition & share" || got.From == nil || !got.From.IsBot {
		t.Errorf("returned message = id %d text %q from %+v, want id 2 with the parsed text from the bot", got.MessageID, got.Text, got.From)
	}
	if got.ReplyMarkup == nil || len(got.ReplyMarkup.InlineKeyboard) != 2 {
		t.Errorf("returned reply_markup = %+v, want the 2-row keyboard", got.ReplyMarkup)
	}

	want := []fakeapi.SentMessage{{
		MessageID: 2,
		Text:      "<b>Sign</b> the petition &amp; share",
		PlainText: "Sign the petition & share",
		ParseMode: "HTML",
		Buttons: [][]fakeapi.Button{
			{{Text: "Yes", Data: "c:yes"}, {Text: "No", Data: "c:no"}},
			{{Text: "Site", URL: "https://example.org"}},
		},
	}}
	sent := srv.Sent(10)
	for i := range sent {
		if !strings.Contains(sent[i].ReplyMarkup, `"callback_data":"c:yes"`) {
			t.Errorf("ReplyMarkup = %s, want the JSON as sent", sent[i].ReplyMarkup)
		}
		sent[i].ReplyMarkup = ""
	}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("Sent(10) mismatch (-want +got):\n%s", diff)
	}
}

func TestSendMessageRefusals(t *testing.T) {
	long := func(b tgbotapi.InlineKeyboardButton) tgbotapi.InlineKeyboardMarkup {
		return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(b))
	}
	tests := []struct {
		name, text, mode string
		markup           any
		want             string // "" = accepted
	}{
		{name: "4096 characters", text: strings.Repeat("a", 4096)},
		{name: "4097 characters", text: strings.Repeat("a", 4097), want: "Bad Request: message is too long"},
		{name: "2049 emoji are 4098 UTF-16 units", text: strings.Repeat("😀", 2049), want: "Bad Request: message is too long"},
		{name: "length counted after tags", text: "<b>" + strings.Repeat("a", 4096) + "</b>", mode: "HTML"},
		{name: "empty", text: "", want: "Bad Request: message text is empty"},
		{name: "only spaces", text: "  \n ", want: "Bad Request: message text is empty"},
		{name: "only tags", text: "<b></b>", mode: "HTML", want: "Bad Request: message text is empty"},
		{name: "escaped", text: "&lt;b&gt; 1 &lt; 2 &quot;q&quot; &#128512; a & b", mode: "HTML"},
		{name: "all supported tags", mode: "HTML",
			text: `<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><s>s</s><code>c</code><pre><code class="language-go">x</code></pre><a href="https://t.me">a</a><tg-spoiler>t</tg-spoiler><span class="tg-spoiler">x</span><blockquote>q</blockquote>`},
		{name: "unclosed tag", text: "<b>bold", mode: "HTML",
			want: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "unsupported tag", text: "line<br>line", mode: "HTML",
			want: `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 4`},
		{name: "unescaped less-than", text: "1 < 2", mode: "HTML",
			want: `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`},
		{name: "crossed tags", text: "<b><i>x</b></i>", mode: "HTML",
			want: `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{name: "stray end tag", text: "x</b>", mode: "HTML",
			want: "Bad Request: can't parse entities: Unexpected end tag at byte offset 1"},
		{name: "unescaped less-than without parse mode", text: "1 < 2 <br>"},
		{name: "callback data 64 bytes", text: "x", markup: long(tgbotapi.NewInlineKeyboardButtonData("ok", strings.Repeat("d", 64)))},
		{name: "callback data 65 bytes", text: "x", markup: long(tgbotapi.NewInlineKeyboardButtonData("ok", strings.Repeat("d", 65))),
			want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "callback data 22 Chinese characters", text: "x", markup: long(tgbotapi.NewInlineKeyboardButtonData("ok", strings.Repeat("签", 22))),
			want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "text-only inline button", text: "x", markup: long(tgbotapi.InlineKeyboardButton{Text: "no action"}),
			want: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		{name: "reply keyboard accepted", text: "x", markup: tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("A")))},
	}
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendText(20, 20, "hi")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tgbotapi.NewMessage(20, tt.text)
			cfg.ParseMode = tt.mode
			cfg.ReplyMarkup = tt.markup
			before := len(srv.Sent(20))
			_, err := api.Send(cfg)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Send: %v, want success", err)
				}
				return
			}
			if e := apiError(t, err); e.Code != 400 || e.Message != tt.want {
				t.Errorf("error = %d %q, want 400 %q", e.Code, e.Message, tt.want)
			}
			if after := len(srv.Sent(20)); after != before {
				t.Errorf("refused message recorded: %d → %d messages", before, after)
			}
		})
	}
}

func TestEditMessages(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	userMsg := 1
	srv.SendText(30, 30, "hi")
	cfg := tgbotapi.NewMessage(30, "Choose")
	cfg.ReplyMarkup = keyboard()
	msg, err := api.Send(cfg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}

	if _, err := api.Send(tgbotapi.NewEditMessageTextAndMarkup(30, msg.MessageID, "Chosen: <i>yes</i>", keyboard())); err != nil {
		t.Fatalf("editMessageText: %v", err)
	}
	_, err = api.Send(tgbotapi.NewEditMessageTextAndMarkup(30, msg.MessageID, "Chosen: <i>yes</i>", keyboard()))
	if e := apiError(t, err); !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Errorf("identical edit error = %q, want message is not modified", e.Message)
	}
	if got := srv.Sent(30)[0]; got.Text != "Chosen: <i>yes</i>" || got.Edits != 1 || len(got.Buttons) != 2 {
		t.Errorf("after edit: %+v, want new text, 1 edit, buttons kept", got)
	}

	// Telegram drops the inline keyboard when editMessageText comes without reply_markup.
	if _, err := api.Send(tgbotapi.NewEditMessageText(30, msg.MessageID, "Done")); err != nil {
		t.Fatalf("editMessageText without markup: %v", err)
	}
	if got := srv.Sent(30)[0]; got.Text != "Done" || got.Buttons != nil {
		t.Errorf("after edit without markup: %+v, want text Done and no buttons", got)
	}
	if _, err := api.Send(tgbotapi.NewEditMessageReplyMarkup(30, msg.MessageID, keyboard())); err != nil {
		t.Fatalf("editMessageReplyMarkup: %v", err)
	}
	if got := srv.Sent(30)[0]; len(got.Buttons) != 2 || got.Edits != 3 {
		t.Errorf("after markup edit: %+v, want buttons back and 3 edits", got)
	}

	_, err = api.Send(tgbotapi.NewEditMessageText(30, userMsg, "mine now"))
	if e := apiError(t, err); e.Message != "Bad Request: message can't be edited" {
		t.Errorf("editing the user's message: %q, want message can't be edited", e.Message)
	}
	_, err = api.Send(tgbotapi.NewEditMessageText(30, 99, "x"))
	if e := apiError(t, err); e.Message != "Bad Request: message to edit not found" {
		t.Errorf("editing a missing message: %q, want message to edit not found", e.Message)
	}

	if _, err := api.Request(tgbotapi.NewDeleteMessage(30, msg.MessageID)); err != nil {
		t.Fatalf("deleteMessage: %v", err)
	}
	if got := srv.Sent(30); len(got) != 0 {
		t.Errorf("Sent after delete = %+v, want none", got)
	}
	_, err = api.Request(tgbotapi.NewDeleteMessage(30, msg.MessageID))
	if e := apiError(t, err); e.Message != "Bad Request: message to delete not found" {
		t.Errorf("second delete: %q, want message to delete not found", e.Message)
	}
}

func TestPressButtonAndAnswer(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendTextAs(40, 40, "en", "hi")
	cfg := tgbotapi.NewMessage(40, "Choose")
	cfg.ReplyMarkup = keyboard()
	msg, err := api.Send(cfg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	id := srv.PressButton(40, 40, msg.MessageID, "c:yes")

	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(updates) != 2 {
		t.Fatalf("GetUpdates = %d, %v, want 2", len(updates), err)
	}
	q := updates[1].CallbackQuery
	if q == nil || q.ID != id || q.Data != "c:yes" || q.From.ID != 40 || q.From.LanguageCode != "en" ||
		q.Message == nil || q.Message.MessageID != msg.MessageID || q.Message.Text != "Choose" {
		t.Fatalf("callback query = %+v, want id %s data c:yes on message %d", q, id, msg.MessageID)
	}

	if _, err := api.Request(tgbotapi.NewCallback(id, "Thanks")); err != nil {
		t.Fatalf("answerCallbackQuery: %v", err)
	}
	if diff := cmp.Diff([]string{id}, srv.AnsweredCallbacks()); diff != "" {
		t.Errorf("AnsweredCallbacks mismatch (-want +got):\n%s", diff)
	}
	if got := srv.Calls("answerCallbackQuery")[0].Get("text"); got != "Thanks" {
		t.Errorf("answer text = %q, want Thanks", got)
	}
	_, err = api.Request(tgbotapi.NewCallback(id, "again"))
	if e := apiError(t, err); e.Code != 400 {
		t.Errorf("second answer: %+v, want 400", e)
	}
}

func TestFiles(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendPhoto(50, 50, "photo-1")
	srv.SendDocument(50, 50, "doc-1", "scan.pdf")
	srv.SendSticker(50, 50, "sticker-1")
	srv.SendVoice(50, 50, "voice-1")
	srv.SendLocation(50, 50, 55.75, 37.62)
	srv.AddFile("doc-1", []byte("%PDF-1.7"))

	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(updates) != 5 {
		t.Fatalf("GetUpdates = %d, %v, want 5", len(updates), err)
	}
	photo := updates[0].Message.Photo
	doc := updates[1].Message.Document
	if len(photo) != 2 || photo[1].FileID != "photo-1" || doc.FileName != "scan.pdf" || doc.MimeType != "application/pdf" ||
		updates[2].Message.Sticker == nil || updates[3].Message.Voice == nil || updates[4].Message.Location.Latitude != 55.75 {
		t.Fatalf("attachments not as sent: %+v", updates)
	}

	f, err := api.GetFile(tgbotapi.FileConfig{FileID: doc.FileID})
	if err != nil || f.FilePath == "" {
		t.Fatalf("GetFile = %+v, %v, want a file_path", f, err)
	}
	resp, err := http.Get(fmt.Sprintf(srv.FileEndpoint(), srv.Token(), f.FilePath))
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "%PDF-1.7" {
		t.Errorf("downloaded %q, want the AddFile content", body)
	}

	_, err = api.GetFile(tgbotapi.FileConfig{FileID: "nope"})
	if e := apiError(t, err); e.Code != 400 {
		t.Errorf("GetFile(unknown) = %+v, want 400", e)
	}
}
