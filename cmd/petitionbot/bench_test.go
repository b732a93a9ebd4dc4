package main

import (
	"testing"
)

// BenchmarkTelegramUpdates measures the whole path of an update through the real
// program: long poll from the fake Bot API on loopback, handling, the Redis commit, and
// the reply sent back. Each op is one "/start" from a new chat (a welcome with the menu);
// 50 chats write at once, so the figure includes concurrency across chats.
func BenchmarkTelegramUpdates(b *testing.B) {
	fake, _, prefix := newFake(b, "supergroup")
	stop := runBot(b, env(fake, prefix))
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
	stop()
}
