package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// chaosKills is how many times TestKill9DuringTraffic kills the bot: CHAOS_KILLS, or 50.
func chaosKills() int {
	if n, err := strconv.Atoi(os.Getenv("CHAOS_KILLS")); err == nil && n > 0 {
		return n
	}
	return 50
}

// actor is something that goes on during the kills; it returns when ctx ends, with
// whatever it found wrong.
type actor func(ctx context.Context) error

// TestKill9DuringTraffic kills the real program with SIGKILL at random moments — at
// least 50 times (CHAOS_KILLS for more) — and restarts it, while six petitioners at a time
// apply (as each finishes, a new one starts), a staff user accepts every case from its
// card, three others close the accepted cases as settled, and the check-ins of the closed
// cases fall due (chaos_checkins_test.go: a second and three seconds after closing). Short
// leases and sweeps (OUTBOX_LEASE, OUTBOX_SWEEP, JOB_LEASE) let a restarted process take
// over quickly. Afterwards:
//   - every petitioner got a receipt, and has exactly one case: none lost, none twice;
//   - every case has its card in the staff group (a second card only when a kill fell
//     between Telegram accepting it and the bot recording it: counted, at most one per kill),
//     and was accepted and closed, and its petitioner told both;
//   - every check-in went out once, was answered or reminded once and recorded as
//     unanswered; none arrived twice, and one missing is explained by the log (killed while
//     sending it: never sent again);
//   - every draft went on at its last confirmed step, and every petitioner's replies came in
//     order (a message sent again after a kill is counted, not an error);
//   - no process panicked.
//
// The figures go to the log (and docs/reliability.md).
func TestKill9DuringTraffic(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	bin := buildBinary(t)
	fake, rdb, prefix := newFake(t, "supergroup")
	staffIDs := []string{strconv.FormatInt(staffUser, 10)}
	for _, id := range closers {
		fake.AddChat(id, "private")
		staffIDs = append(staffIDs, strconv.FormatInt(id, 10))
	}
	getenv := env(fake, prefix, append([]string{"STAFF_USER_IDS", strings.Join(staffIDs, ","),
		"OUTBOX_LEASE", "500ms", "OUTBOX_SWEEP", "200ms"}, chaosFollowupEnv...)...)
	db := testStore(t, rdb, prefix)
	logDir := t.TempDir()
	if d := os.Getenv("CHAOS_LOGS"); d != "" { // keep the logs of every run there
		logDir = d
		os.MkdirAll(d, 0o755)
	}
	kills, want := 0, chaosKills()
	proc := startLogged(t, bin, getenv, filepath.Join(logDir, "run-0.log"))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	steps := applicationSteps()
	retry := say(t, "error.retry")
	var (
		mu        sync.Mutex
		finished  []*sim
		failures  []string
		nextID    = petitioner + 1000
		trafficOn = true
		todo      = make([]chan string, len(closers)) // the cases each closer is to close
	)
	for i := range todo {
		todo[i] = make(chan string, 10000)
	}
	closedCases := func() map[int64]string { // the petitioners whose case is handed to a closer
		mu.Lock()
		defer mu.Unlock()
		out := map[int64]string{}
		for _, s := range finished {
			out[s.id] = s.Number
		}
		return out
	}
	petitioners := func(ctx context.Context) error {
		for {
			mu.Lock()
			on := trafficOn
			nextID++
			id := nextID
			mu.Unlock()
			if !on || ctx.Err() != nil {
				return nil
			}
			s := &sim{fake: fake, id: id, steps: steps, retry: retry, think: time.Duration(5+id%20) * time.Millisecond, perStep: 4 * wait}
			if err := s.run(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("petitioner %d: %w", id, err)
			}
			mu.Lock()
			finished = append(finished, s)
			todo[len(finished)%len(todo)] <- s.Number
			mu.Unlock()
		}
	}
	actors := []actor{petitioners, petitioners, petitioners, petitioners, petitioners, petitioners}
	var wg sync.WaitGroup
	for _, a := range actors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a(ctx); err != nil {
				mu.Lock()
				failures = append(failures, err.Error())
				mu.Unlock()
				cancel()
			}
		}()
	}
	staffCtx, stopStaff := context.WithCancel(context.Background())
	staffDone := make(chan struct{})
	var staffPresses, presses int
	go func() { defer close(staffDone); staffPresses = staffSim(staffCtx, fake) }()
	answersDone := make(chan struct{})
	go func() { defer close(answersDone); presses = answerer(staffCtx, fake, closedCases) }()
	closing := make([]*closer, len(closers))
	closeErrs := make(chan error, len(closers))
	for i, id := range closers {
		closing[i] = &closer{fake: fake, db: db, user: id}
		go func() { closeErrs <- closing[i].run(staffCtx, todo[i]) }()
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	start := time.Now()
	var downtime time.Duration
	var recoveries []time.Duration // from a restart to the new process's first getUpdates
	killed := make(chan struct{})
	for kills < want && ctx.Err() == nil {
		pause(ctx, time.Duration(50+rng.IntN(450))*time.Millisecond)
		close(killed)
		kill9(t, proc)
		kills++
		down := time.Now()
		if rng.IntN(4) == 0 { // now and then stay down a while, as a real restart takes
			pause(ctx, time.Duration(rng.IntN(1500))*time.Millisecond)
		}
		killed = make(chan struct{})
		polls, restarted := fake.Requests("getUpdates"), time.Now()
		proc = startLogged(t, bin, getenv, filepath.Join(logDir, fmt.Sprintf("run-%d.log", kills)))
		downtime += time.Since(down)
		go func(killed <-chan struct{}) {
			gone := func() bool {
				select {
				case <-killed:
					return true
				default:
					return false
				}
			}
			if fake.WaitFor(func() bool { return gone() || fake.Requests("getUpdates") > polls }, wait) && !gone() {
				mu.Lock()
				recoveries = append(recoveries, time.Since(restarted))
				mu.Unlock()
			}
		}(killed)
	}
	elapsed := time.Since(start)
	killsEnd := time.Now()
	checkinsDuringKills, closedDuringKills := checkinsSoFar(fake, closedCases()), closedSoFar(db, closedCases())
	// The last process stays up: the petitioners under way finish, then the staff catch up.
	mu.Lock()
	trafficOn = false
	mu.Unlock()
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d kills; %s\nlogs in %s", kills, strings.Join(failures, "\n"), logDir)
	}
	if !fake.WaitFor(func() bool { return allAccepted(t, fake, finished) }, 4*wait) {
		t.Errorf("not every case was accepted and its petitioner told")
	}
	for _, c := range todo {
		close(c)
	}
	for range closers {
		if err := <-closeErrs; err != nil {
			t.Error(err)
		}
	}
	cases := closedCases()
	if !fake.WaitFor(func() bool { return checkinsSettled(db, cases) }, 4*wait) {
		t.Errorf("not every check-in was answered or recorded as unanswered")
	}
	// An unanswered check-in is recorded so before its paced reminder may have left: wait
	// for the messages still queued.
	var ciProblems []string
	var ci checkinCount
	fake.WaitFor(func() bool {
		ciProblems, ci = checkCheckins(t, fake, db, cases, readLogs(logDir))
		return len(ciProblems) == 0
	}, 4*wait)
	for _, p := range ciProblems {
		t.Error(p)
	}
	stopStaff()
	<-staffDone
	<-answersDone

	total, dupCards, resent, repeated, forms := 0, 0, 0, 0, 0
	for _, s := range finished {
		n := casesOf(t, rdb, prefix, s.id)
		if n != 1 {
			t.Errorf("petitioner %d (%s): %d cases, want 1", s.id, s.Number, n)
		}
		if told, _, _ := strings.Cut(say(t, "notify.close", "Number", s.Number, "Outcome", ""), "结果"); containing(fake, s.id, told) == 0 {
			t.Errorf("petitioner %d: not told that case %s was closed", s.id, s.Number)
		}
		total += n
		switch c := cardsOf(fake, s.Number); {
		case c == 0:
			t.Errorf("case %s: no card in the staff group", s.Number)
		case c > 1:
			dupCards += c - 1
		}
		r, rep, problem := orderCheck(fake.Sent(s.id), steps, retry)
		if problem != "" {
			t.Errorf("petitioner %d: %s", s.id, problem)
		}
		resent += r
		repeated += rep
	}
	if dupCards > kills {
		t.Errorf("%d duplicate cards for %d kills", dupCards, kills)
	}
	panics := strings.Count(readLogs(logDir), "panic")
	for _, c := range closing {
		forms += c.Forms
	}
	if panics > 0 {
		t.Errorf("%d panics in the logs in %s", panics, logDir)
	}
	if len(finished) < 6 {
		t.Errorf("only %d applications completed during the kills", len(finished))
	}
	mu.Lock()
	slices.Sort(recoveries)
	median, slowest := time.Duration(0), time.Duration(0)
	if n := len(recoveries); n > 0 {
		median, slowest = recoveries[n/2], recoveries[n-1]
	}
	mu.Unlock()
	t.Logf("FIGURES kill-9: restart to polling: median %v, slowest %v (%d restarts polled before the next kill)",
		median.Round(time.Millisecond), slowest.Round(time.Millisecond), len(recoveries))
	t.Logf("FIGURES kill-9: %d kills in %v (bot down %v in all), %d applications completed, %d cases, %d staff presses, %d duplicate cards, %d messages re-sent to petitioners, %d answers to a repeated input",
		kills, elapsed.Round(time.Second), downtime.Round(time.Millisecond), len(finished), total, staffPresses, dupCards, resent, repeated)
	due, fired := checkinsBefore(db, cases, killsEnd)
	t.Logf("FIGURES kill-9 check-ins: %d cases closed (%d close forms begun); during the kills %d cases closed, %d check-ins fell due, %d fired, %d check-ins and reminders arrived; in all %d check-ins, %d reminders, %d answered (%d presses), %d staff alerts of no answer; %d missing (each explained by the log), %d duplicates",
		len(cases), forms, closedDuringKills, due, fired, checkinsDuringKills, ci.Asked, ci.Reminded, ci.Answered, presses, ci.Alerts, ci.Lost, ci.Duplicates)
	if due == 0 || fired == 0 {
		t.Errorf("no check-in fell due (%d) or fired (%d) during the kills", due, fired)
	}
}

// cardsOf counts the staff group's messages that are the card of case number (an alert
// about a check-in carries the card too, below its own first line).
func cardsOf(fake *fakeapi.Server, number string) int {
	n := 0
	for _, m := range fake.Sent(staffChat) {
		if buttonData(m, "s:det:"+number+":*") != "" && strings.HasPrefix(m.PlainText, "📋 "+number) {
			n++
		}
	}
	return n
}

// readLogs returns the logs of every run, one after the other.
func readLogs(dir string) string {
	var logs strings.Builder
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		logs.Write(b)
	}
	return logs.String()
}

// checkinsSoFar counts the check-ins and reminders that have arrived in the chats of
// cases.
func checkinsSoFar(fake *fakeapi.Server, cases map[int64]string) int {
	n := 0
	for id, number := range cases {
		for _, m := range fake.Sent(id) {
			if hasButton(m, "v:"+number+":1:f") || hasButton(m, "v:"+number+":2:f") {
				n++
			}
		}
	}
	return n
}

// stored reads the cases from the store; ok false if one could not be read.
func stored(db *store.DB, cases map[int64]string) (cs []dialogs.Case, ok bool) {
	ok = true
	for _, number := range cases {
		c, err := db.Get(context.Background(), number)
		if err != nil {
			ok = false
			continue
		}
		cs = append(cs, c)
	}
	return cs, ok
}

// closedSoFar counts the cases closed.
func closedSoFar(db *store.DB, cases map[int64]string) int {
	n := 0
	cs, _ := stored(db, cases)
	for _, c := range cs {
		if c.Status == dialogs.StatusClosed {
			n++
		}
	}
	return n
}

// checkinsBefore counts the check-ins of cases that fell due before t, and those that
// fired (went to the outbox) before t.
func checkinsBefore(db *store.DB, cases map[int64]string, t time.Time) (due, fired int) {
	cs, _ := stored(db, cases)
	for _, c := range cs {
		for _, ci := range c.Checkins {
			if ci.Due.Before(t) {
				due++
			}
			if !ci.Sent.IsZero() && ci.Sent.Before(t) {
				fired++
			}
		}
	}
	return due, fired
}

// checkinsSettled reports whether every check-in of cases has its result.
func checkinsSettled(db *store.DB, cases map[int64]string) bool {
	cs, ok := stored(db, cases)
	for _, c := range cs {
		if len(c.Checkins) == 0 {
			return false
		}
		for _, ci := range c.Checkins {
			if ci.Result == "" {
				return false
			}
		}
	}
	return ok
}

// allAccepted reports whether every finished petitioner's case was accepted and they were
// told so.
func allAccepted(t *testing.T, fake *fakeapi.Server, sims []*sim) bool {
	for _, s := range sims {
		if containing(fake, s.id, say(t, "notify.accept", "Number", s.Number)) == 0 {
			return false
		}
	}
	return true
}
