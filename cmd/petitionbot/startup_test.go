package main

import (
	"fmt"
	"testing"

	"github.com/petitionbot/petitionbot/store/redistest"
)

// TestStartWaitsForRedis: with Redis down at start the bot does not exit: it says why,
// tries again with backoff, and serves as soon as Redis answers.
func TestStartWaitsForRedis(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	port, err := redistest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	var srv *redistest.Server
	t.Cleanup(func() { // after the bot stopped (cleanups run last first)
		if srv != nil {
			srv.Stop()
		}
	})
	logs := &syncBuffer{}
	runBotLog(t, env(fake, prefix, "REDIS_URL", fmt.Sprintf("redis://127.0.0.1:%d", port)), logs)
	if !fake.WaitFor(func() bool { return logs.count("Redis is not reachable") >= 2 }, wait) {
		t.Fatalf("no clear line while Redis is down:\n%s", logs.String())
	}
	if srv, err = redistest.StartServer(t.TempDir(), false, port); err != nil {
		t.Fatal(err)
	}
	fake.SendText(petitioner, petitioner, "/start")
	(&chat{t: t, fake: fake, id: petitioner}).expect("m:apply")
}

// TestStartWaitsForTheBotAPI: a Bot API that refuses the token (401), answers with a
// proxy's HTML page (502) or drops the connection at getMe is tried again with a clear
// line each time; the bot serves once getMe works.
func TestStartWaitsForTheBotAPI(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int
		line string
	}{
		{"401 token refused", 401, "the Bot API refuses the token"},
		{"502 proxy page", 502, "a proxy's error page"},
		{"connection dropped", 0, "the Bot API is not reachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake, _, prefix := newFake(t, "supergroup")
			fake.FailNext("getMe", 2, tc.code, 0)
			logs := &syncBuffer{}
			runBotLog(t, env(fake, prefix), logs)
			fake.SendText(petitioner, petitioner, "/start")
			(&chat{t: t, fake: fake, id: petitioner}).expect("m:apply")
			if n := logs.count(tc.line); n != 2 {
				t.Errorf("%d lines %q, want 2 (one per failed getMe):\n%s", n, tc.line, logs.String())
			}
		})
	}
}
