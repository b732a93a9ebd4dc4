package fakeapi_test

import (
	"errors"
	"net/url"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// newBot returns a real client connected to srv.
func newBot(t *testing.T, srv *fakeapi.Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.APIEndpoint())
	if err != nil {
		t.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	return api
}

// apiError returns err as *tgbotapi.Error or fails the test.
func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *tgbotapi.Error", err, err)
	}
	return e
}

func TestGetMe(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	if api.Self.ID != 123 || !api.Self.IsBot || api.Self.UserName != "petition_test_bot" {
		t.Errorf("Self = %+v, want bot 123 petition_test_bot", api.Self)
	}
	if got := srv.Requests("getMe"); got != 1 {
		t.Errorf("Requests(getMe) = %d, want 1", got)
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.WithToken("42:SECRET"))
	_, err := tgbotapi.NewBotAPIWithAPIEndpoint("42:WRONG", srv.APIEndpoint())
	if e := apiError(t, err); e.Code != 401 || e.Message != "Unauthorized" {
		t.Errorf("error = %d %q, want 401 Unauthorized", e.Code, e.Message)
	}
	if api := newBot(t, srv); api.Self.ID != 42 {
		t.Errorf("Self.ID = %d, want 42", api.Self.ID)
	}
}

func TestUnknownMethodIsNotFound(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	_, err := api.MakeRequest("sendDice", tgbotapi.Params{"chat_id": "1"})
	if e := apiError(t, err); e.Code != 404 || e.Message != "Not Found" {
		t.Errorf("error = %d %q, want 404 Not Found", e.Code, e.Message)
	}
	if got := srv.Requests("senddice"); got != 1 {
		t.Errorf("Requests(senddice) = %d, want 1", got)
	}
}

func TestFailNext(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.SendText(7, 7, "hi")

	srv.FailNext("sendMessage", 1, 429, 7)
	_, err := api.Send(tgbotapi.NewMessage(7, "hello"))
	if e := apiError(t, err); e.Code != 429 || e.RetryAfter != 7 {
		t.Errorf("429 error = %+v, want code 429 retry_after 7", e)
	}

	srv.FailNext("*", 1, 500, 0)
	_, err = api.Send(tgbotapi.NewMessage(7, "hello"))
	if e := apiError(t, err); e.Code != 500 {
		t.Errorf("500 error = %+v, want code 500", e)
	}

	srv.FailNext("sendMessage", 1, 502, 0)
	_, err = api.Send(tgbotapi.NewMessage(7, "hello"))
	var e *tgbotapi.Error
	if err == nil || errors.As(err, &e) {
		t.Errorf("502 error = %v, want a JSON decoding error", err)
	}

	srv.FailNext("sendMessage", 1, 0, 0)
	_, err = api.Send(tgbotapi.NewMessage(7, "hello"))
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Errorf("dropped connection error = %v (%T), want *url.Error", err, err)
	}

	if _, err := api.Send(tgbotapi.NewMessage(7, "hello")); err != nil {
		t.Fatalf("Send after the injected failures: %v", err)
	}
	if got, want := len(srv.Sent(7)), 1; got != want {
		t.Errorf("len(Sent) = %d, want %d (failed sends must not be recorded)", got, want)
	}
	if got := srv.Requests("sendMessage"); got != 5 {
		t.Errorf("Requests(sendMessage) = %d, want 5", got)
	}
}

func TestMigratedGroup(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.AddChat(-100, "group")
	srv.MigrateChat(-100, -1001234)

	_, err := api.Send(tgbotapi.NewMessage(-100, "to the staff"))
	e := apiError(t, err)
	if e.Code != 400 || e.MigrateToChatID != -1001234 ||
		e.Message != "Bad Request: group chat was upgraded to a supergroup chat" {
		t.Errorf("error = %+v, want 400 with migrate_to_chat_id -1001234", e)
	}
	if _, err := api.Send(tgbotapi.NewMessage(-1001234, "to the staff")); err != nil {
		t.Fatalf("Send to the supergroup: %v", err)
	}
	chat, err := api.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: -1001234}})
	if err != nil || chat.Type != "supergroup" {
		t.Errorf("GetChat = %+v, %v, want a supergroup", chat, err)
	}

	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(updates) != 2 {
		t.Fatalf("GetUpdates = %d updates, %v, want the 2 migration service messages", len(updates), err)
	}
	if got := updates[0].Message.MigrateToChatID; got != -1001234 {
		t.Errorf("migrate_to_chat_id = %d, want -1001234", got)
	}
	if got := updates[1].Message.MigrateFromChatID; got != -100 {
		t.Errorf("migrate_from_chat_id = %d, want -100", got)
	}
}

func TestChatsAndBlocking(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)

	_, err := api.GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{ChatID: 555}})
	if e := apiError(t, err); e.Code != 400 || e.Message != "Bad Request: chat not found" {
		t.Errorf("GetChat(unknown) error = %+v, want chat not found", e)
	}
	_, err = api.Send(tgbotapi.NewMessage(555, "hello"))
	if e := apiError(t, err); e.Message != "Bad Request: chat not found" {
		t.Errorf("Send(unknown) error = %q, want chat not found", e.Message)
	}

	srv.SendText(555, 555, "hi")
	if _, err := api.Request(tgbotapi.NewChatAction(555, tgbotapi.ChatTyping)); err != nil {
		t.Errorf("sendChatAction: %v", err)
	}
	srv.Block(555)
	_, err = api.Send(tgbotapi.NewMessage(555, "hello"))
	if e := apiError(t, err); e.Code != 403 {
		t.Errorf("Send(blocked) error = %+v, want 403", e)
	}
}
