package fakeapi_test

import (
	"errors"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// TestFailNextAfter: the message is sent, but the client sees a network error.
func TestFailNextAfter(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.AddChat(42, "private")
	srv.FailNextAfter("sendMessage", 1)
	_, err := api.Send(tgbotapi.NewMessage(42, "hello"))
	var te *tgbotapi.Error
	if err == nil || errors.As(err, &te) {
		t.Fatalf("error = %v, want a network error", err)
	}
	if got := srv.Sent(42); len(got) != 1 || got[0].Text != "hello" {
		t.Fatalf("sent %+v, want the message to have taken effect", got)
	}
	if _, err := api.Send(tgbotapi.NewMessage(42, "again")); err != nil {
		t.Fatalf("the next request: %v", err)
	}
}

// TestInjectFaults: at rate 1 every request fails, with every kind of fault; the
// failures after the request took effect leave the message sent; at rate 0 nothing fails.
func TestInjectFaults(t *testing.T) {
	srv := fakeapi.New(t)
	api := newBot(t, srv)
	srv.AddChat(42, "private")
	srv.InjectFaults(fakeapi.Faults{Rate: 1, Seed: 7, Methods: []string{"sendMessage"}, Slow: 10 * time.Millisecond})
	const n = 120
	failed := 0
	for range n {
		if _, err := api.Send(tgbotapi.NewMessage(42, "m")); err != nil {
			failed++
		}
	}
	c := srv.FaultCounts()
	if c.Total() != n {
		t.Fatalf("%d faults for %d requests: %+v", c.Total(), n, c)
	}
	for name, k := range map[string]int{"429": c.RateLimited, "500": c.ServerError, "502": c.ProxyPage,
		"slow": c.Slow, "dropped before": c.DroppedBefore, "dropped after": c.DroppedAfter} {
		if k == 0 {
			t.Errorf("no %s fault in %d: %+v", name, n, c)
		}
	}
	// Slow answers succeed; every other kind fails the call.
	if failed != n-c.Slow {
		t.Errorf("%d calls failed, want %d (all but the slow ones)", failed, n-c.Slow)
	}
	if got := len(srv.Sent(42)); got != c.Slow+c.DroppedAfter {
		t.Errorf("%d messages took effect, want %d (slow and dropped after)", got, c.Slow+c.DroppedAfter)
	}
	srv.InjectFaults(fakeapi.Faults{})
	if _, err := api.Send(tgbotapi.NewMessage(42, "m")); err != nil {
		t.Errorf("after InjectFaults with rate 0: %v", err)
	}
}
