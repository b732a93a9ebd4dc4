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

// runEcho is the bare echo bot the load test compares with: the same Telegram library,
// the same fake Bot API, a pool of keep-alive connections as large as petitionbot's; it
// answers each message with its text and each button press with answerCallbackQuery and
// the press's data, holding no state at all. It runs until SIGTERM.
func runEcho(token, endpoint string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
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
			}(u)
		}
	}
	return nil
}
