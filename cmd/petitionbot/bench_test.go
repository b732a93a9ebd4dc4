package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/store/redistest"
)

// BenchmarkTelegramUpdates measures the whole path of an update through the real
// program: long poll from the fake Bot API on loopback, handling, the Redis commit, and
// the reply sent back. Each op is one "/start" from a new chat (a welcome with the menu);
// 50 chats write at once, so the figure includes concurrency across chats.
func BenchmarkTelegramUpdates(b *testing.B) {
	fake := fakeapi.New(b)
	fake.AddChat(staffChat, "supergroup")
	_, prefix := redistest.New(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"petitionbot"}, env(fake, prefix), strings.NewReader(""), io.Discard, io.Discard) }()
	if !fake.WaitFor(fake.Polling, wait) {
		b.Fatal("the bot did not start polling")
	}
	const burst = 50
	b.ResetTimer()
	chat := int64(10_000)
	for sent := 0; sent < b.N; {
		n := min(burst, b.N-sent)
		first := chat
		for i := 0; i < n; i++ {
			fake.SendText(chat, chat, "/start")
			chat++
		}
		if !fake.WaitFor(func() bool {
			for c := first; c < chat; c++ {
				if len(fake.Sent(c)) == 0 {
					return false
				}
			}
			return true
		}, wait) {
			b.Fatal("not every chat was answered")
		}
		sent += n
	}
	b.StopTimer()
	cancel()
	<-done
}
