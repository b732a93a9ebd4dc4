package main

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// The load test compares petitionbot with two echo bots on the same Telegram library and
// the same fake Bot API, holding no state at all: each answers a message with its text
// and a button press with answerCallbackQuery and the press's data.
//
//   - the bare echo bot is the library's own example (its README): GetUpdatesChan, the
//     default HTTP client, one update at a time. It is the baseline the throughput ratio
//     is taken against.
//   - the tuned echo bot handles up to 128 updates at once over a keep-alive pool as large
//     as petitionbot's: what the library can do at most on this machine, for context.

// runEcho runs the echo bot named by kind ("bare" or "tuned") until SIGTERM.
func runEcho(kind, token, endpoint string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if kind == "bare" {
		return runBareEcho(ctx, token, endpoint)
	}
	return runTunedEcho(ctx, token, endpoint)
}

func runBareEcho(ctx context.Context, token, endpoint string) error {
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(token, endpoint)
	if err != nil {
		return err
	}
	u := tgbotapi.NewUpdate(0)
	u.Timeout = 60
	updates := api.GetUpdatesChan(u)
	go func() { <-ctx.Done(); api.StopReceivingUpdates() }()
	for u := range updates {
		echo(api, u)
	}
	return nil
}

func runTunedEcho(ctx context.Context, token, endpoint string) error {
	client := &http.Client{Timeout: 40 * time.Second, Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128}}
	api, err := tgbotapi.NewBotAPIWithClient(token, endpoint, client)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, 128)
	offset := 0
	for ctx.Err() == nil {
		updates, err := api.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: 1})
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for _, u := range updates {
			offset = u.UpdateID + 1
			sem <- struct{}{}
			go func(u tgbotapi.Update) {
				defer func() { <-sem }()
				echo(api, u)
			}(u)
		}
	}
	return nil
}

// echo answers one update.
func echo(api *tgbotapi.BotAPI, u tgbotapi.Update) {
	switch {
	case u.Message != nil:
		text := u.Message.Text
		if text == "" {
			text = "ok"
		}
		_, _ = api.Send(tgbotapi.NewMessage(u.Message.Chat.ID, text))
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil:
		_, _ = api.Request(tgbotapi.NewCallback(u.CallbackQuery.ID, ""))
		_, _ = api.Send(tgbotapi.NewMessage(u.CallbackQuery.Message.Chat.ID, u.CallbackQuery.Data))
	}
}
