package main

import (
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// BenchmarkLoad is the load command's petitionbot run in-process (for profiles and
// benchstat): b.N simulated petitioners at once, each through a whole application and two
// questions, answering every reply at once; rate limits raised. It reports updates per
// second and the turn latency. go test -run '^$' -bench Load -benchtime 200x ./cmd/petitionbot/
func BenchmarkLoad(b *testing.B) {
	crowd := fakeapi.NewCrowd(fakeapi.ApplicationScript(recentServiceDate(), 2), 0)
	fake := fakeapi.New(b, fakeapi.WithOnSent(crowd.Replied), fakeapi.WithMaxPollWait(time.Second))
	fake.AddChat(staffChat, "supergroup")
	_, _, prefix := newFake(b, "supergroup")
	runBot(b, env(fake, prefix, "TELEGRAM_CHAT_RATE", "100000", "TELEGRAM_GROUP_RATE", "6000000", "TELEGRAM_GLOBAL_RATE", "100000"))
	if !fake.WaitFor(fake.Polling, wait) {
		b.Fatal("the bot does not poll")
	}
	chats := make([]int64, b.N)
	for i := range chats {
		chats[i] = int64(2_000_000 + i)
	}
	b.ResetTimer()
	crowd.Start(fake, chats)
	select {
	case <-crowd.Done():
	case <-time.After(10 * time.Minute):
		b.Fatal("the chats did not finish")
	}
	b.StopTimer()
	updates := float64(b.N * crowd.Steps())
	lat := crowd.Latencies()
	b.ReportMetric(updates/b.Elapsed().Seconds(), "updates/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/updates, "ns/update")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50/turn")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99/turn")
}
