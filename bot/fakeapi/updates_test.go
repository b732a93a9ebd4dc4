package fakeapi_test

import (
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

func TestGetUpdatesAndConfirmation(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	first := srv.SendText(1, 1, "/start@petition_test_bot now")
	srv.SendText(1, 1, "hello")
	last := srv.SendTextAs(2, 2, "zh-hans", "你好")

	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if err != nil || len(updates) != 2 {
		t.Fatalf("GetUpdates(limit 2) = %d updates, %v, want 2", len(updates), err)
	}
	m := updates[0].Message
	if updates[0].UpdateID != first || !m.IsCommand() || m.Command() != "start" || m.CommandArguments() != "now" {
		t.Errorf("first update = %d %q, want %d, command start with argument now", updates[0].UpdateID, m.Text, first)
	}
	if m.Chat.Type != "private" || m.From.ID != 1 || m.Chat.ID != 1 {
		t.Errorf("first message chat/from = %+v / %+v, want private chat 1 from user 1", m.Chat, m.From)
	}
	if updates[1].Message.IsCommand() {
		t.Errorf("plain text %q reported as a command", updates[1].Message.Text)
	}

	// Not confirmed yet: the same updates again.
	again, err := api.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(again) != 3 || srv.Pending() != 3 || srv.Confirmed() != 0 {
		t.Fatalf("unconfirmed GetUpdates = %d updates, %v; Pending %d, Confirmed %d; want 3, 3, 0",
			len(again), err, srv.Pending(), srv.Confirmed())
	}
	if got := again[2].Message.From.LanguageCode; got != "zh-hans" {
		t.Errorf("language_code = %q, want zh-hans", got)
	}

	// Confirm the first one only.
	rest, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: first + 1})
	if err != nil || len(rest) != 2 || srv.Confirmed() != first || srv.Pending() != 2 {
		t.Fatalf("after offset first+1: %d updates, %v; Confirmed %d, Pending %d; want 2, %d, 2",
			len(rest), err, srv.Confirmed(), srv.Pending(), first)
	}

	// Confirm everything.
	none, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: last + 1})
	if err != nil || len(none) != 0 || srv.Confirmed() != last || srv.Pending() != 0 {
		t.Fatalf("after offset last+1: %d updates, %v; Confirmed %d, Pending %d; want 0, %d, 0",
			len(none), err, srv.Confirmed(), srv.Pending(), last)
	}
}

func TestLongPollReturnsWhenAnUpdateArrives(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.WithMaxPollWait(10*time.Second))
	api := newBot(t, srv)
	go func() {
		if srv.WaitFor(srv.Polling, 5*time.Second) {
			srv.SendText(3, 3, "wake up")
		}
	}()
	start := time.Now()
	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
	if err != nil || len(updates) != 1 || updates[0].Message.Text != "wake up" {
		t.Fatalf("GetUpdates = %+v, %v, want the one update", updates, err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("long poll returned after %v, want as soon as the update arrived", waited)
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.WithMaxPollWait(50*time.Millisecond))
	api := newBot(t, srv)
	updates, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
	if err != nil || len(updates) != 0 {
		t.Fatalf("GetUpdates = %+v, %v, want no updates and no error", updates, err)
	}
}

func TestSecondPollerEndsTheFirstWithConflict(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.WithMaxPollWait(10*time.Second))
	api := newBot(t, srv)
	firstErr := make(chan error, 1)
	go func() {
		_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		firstErr <- err
	}()
	if !srv.WaitFor(srv.Polling, 5*time.Second) {
		t.Fatal("the first poll never started waiting")
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatalf("second GetUpdates: %v", err)
	}
	if e := apiError(t, <-firstErr); e.Code != 409 {
		t.Errorf("first poll error = %+v, want 409 Conflict", e)
	}
}

func TestCloseEndsALongPoll(t *testing.T) {
	srv := fakeapi.New(t, fakeapi.WithMaxPollWait(10*time.Second))
	api := newBot(t, srv)
	done := make(chan error, 1)
	go func() {
		_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		done <- err
	}()
	if !srv.WaitFor(srv.Polling, 5*time.Second) {
		t.Fatal("the poll never started waiting")
	}
	start := time.Now()
	srv.Close()
	if err := <-done; err != nil {
		t.Errorf("poll ended by Close: %v, want an empty result", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v", d)
	}
}
