package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/store/redistest"
)

// TestRedisOutages runs the real program on a Redis of its own (append-only, every write
// fsynced) that is down when the program starts, then killed with SIGKILL for 10 s in the
// middle of conversations, and killed and restarted once more at once, while four
// petitioners at a time apply and a staff user accepts the cases.
//
// The program never exits: it says why it waits, once per try, in structured lines (no
// raw go-redis output). While Redis is down users are told their action was not saved
// and to try again; afterwards it recovers by itself. Every petitioner who got a receipt
// has exactly one case, every reply came in order (re-sends counted), nothing the bot had
// confirmed was lost: a simulated petitioner waits for the answer to each step, so a step
// confirmed and then forgotten would make it stop.
func TestRedisOutages(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test")
	}
	bin := buildBinary(t)
	port, err := redistest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	fake, _, _ := newFake(t, "supergroup")
	const prefix = "petitionbot-outage:"
	getenv := env(fake, prefix, "REDIS_URL", "redis://"+addr, "STAFF_USER_IDS", strconv.FormatInt(staffUser, 10),
		"OUTBOX_LEASE", "1s", "OUTBOX_SWEEP", "500ms")
	logPath := filepath.Join(t.TempDir(), "bot.log")
	proc := startLogged(t, bin, getenv, logPath)
	logs := func() string { b, _ := os.ReadFile(logPath); return string(b) }

	// Down at start: the program waits, saying why.
	if !fake.WaitFor(func() bool { return strings.Count(logs(), "Redis is not reachable") >= 2 }, wait) {
		t.Fatalf("no clear line while Redis is down at start:\n%s", logs())
	}
	var srv *redistest.Server
	if srv, err = redistest.StartServer(t.TempDir(), true, port); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	rdb := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	t.Cleanup(func() { rdb.Close() })

	// probe measures how long a new user waits for an answer (trying again when told to).
	probe := func(id int64) time.Duration {
		start := time.Now()
		c := &chat{t: t, fake: fake, id: id}
		fake.SendText(id, id, "/start")
		for !fake.WaitFor(func() bool { m, ok := c.latestButtons(); return ok && hasButton(m, "m:apply") }, time.Second) {
			if time.Since(start) > 4*wait {
				t.Fatalf("a new user not answered within %v", time.Since(start))
			}
			if containing(fake, id, say(t, "error.retry")) > 0 {
				fake.SendText(id, id, "/start") // told to try again: try again
			}
		}
		return time.Since(start)
	}
	startup := probe(petitioner + 4000)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	steps, retry := applicationSteps(), say(t, "error.retry")
	var (
		mu       sync.Mutex
		finished []*sim
		failures []string
		nextID   = petitioner + 5000
		on       = true
		retries  int
	)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				active, id := on, nextID+1
				nextID++
				mu.Unlock()
				if !active || ctx.Err() != nil {
					return
				}
				s := &sim{fake: fake, id: id, steps: steps, retry: retry, think: 20 * time.Millisecond, perStep: 6 * wait}
				err := s.run(ctx)
				mu.Lock()
				retries += s.Retries
				if err != nil && ctx.Err() == nil {
					failures = append(failures, fmt.Sprintf("petitioner %d: %v", id, err))
					cancel()
				} else if err == nil {
					finished = append(finished, s)
				}
				mu.Unlock()
			}
		}()
	}
	staffCtx, stopStaff := context.WithCancel(context.Background())
	defer stopStaff()
	staffDone := make(chan struct{})
	go func() { defer close(staffDone); staffSim(staffCtx, fake) }()

	pause(ctx, 1500*time.Millisecond)
	srv.Kill() // 10 s down in the middle of conversations
	pause(ctx, 10*time.Second)
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	recovery := probe(petitioner + 4001)
	pause(ctx, 1500*time.Millisecond)
	srv.Kill() // killed and restarted at once
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	recovery2 := probe(petitioner + 4002)
	pause(ctx, 1500*time.Millisecond)
	mu.Lock()
	on = false
	mu.Unlock()
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%s\nlog:\n%s", strings.Join(failures, "\n"), tailLines(logs(), 40))
	}
	if !fake.WaitFor(func() bool { return allAccepted(t, fake, finished) }, 4*wait) {
		t.Error("not every case was accepted and its petitioner told")
	}
	stopStaff()
	<-staffDone
	if proc.ProcessState != nil {
		t.Fatalf("the program exited: %v", proc.ProcessState)
	}

	resent, repeated := 0, 0
	for _, s := range finished {
		if n := casesOf(t, rdb, prefix, s.id); n != 1 {
			t.Errorf("petitioner %d (%s): %d cases, want 1", s.id, s.Number, n)
		}
		r, rep, problem := orderCheck(fake.Sent(s.id), steps, retry)
		if problem != "" {
			t.Errorf("petitioner %d: %s", s.id, problem)
		}
		resent += r
		repeated += rep
	}
	if retries == 0 {
		t.Error("nobody was told to try again while Redis was down")
	}
	if len(finished) < 4 {
		t.Errorf("only %d applications completed", len(finished))
	}
	for _, line := range strings.Split(logs(), "\n") {
		if strings.HasPrefix(line, "redis:") {
			t.Errorf("an unstructured go-redis line: %s", line)
			break
		}
	}
	t.Logf("FIGURES redis: %d applications completed across a 10 s outage and a kill -9 restart, %d inputs told to try again and repeated (%d answered on a state that had moved on), %d messages re-sent; a new user answered %v after Redis came up at start, %v after the 10 s outage ended and %v after the restart; %d log lines about the outage",
		len(finished), retries, repeated, resent, startup.Round(time.Millisecond), recovery.Round(time.Millisecond), recovery2.Round(time.Millisecond),
		strings.Count(logs(), "failed")+strings.Count(logs(), "not reachable"))
}

func tailLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
