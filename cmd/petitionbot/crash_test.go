package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// buildBinary compiles the program once per test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "petitionbot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs the binary against the fake API; kill -9 it with proc.Process.Kill.
func start(t *testing.T, bin string, getenv func(string) string) *exec.Cmd {
	t.Helper()
	return startLogged(t, bin, getenv, "")
}

// startLogged is start with the program's log (stderr) written to the file logPath ("":
// discarded).
func startLogged(t *testing.T, bin string, getenv func(string) string, logPath string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin)
	if logPath != "" {
		f, err := os.Create(logPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		cmd.Stderr = f
	}
	cmd.Env = os.Environ()
	for _, k := range []string{"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_ENDPOINT", "STAFF_CHAT_ID", "REDIS_URL", "REDIS_PREFIX", "DATA_KEY",
		"PROCURATORATE_NAME", "TELEGRAM_CHAT_RATE", "TELEGRAM_GROUP_RATE", "TELEGRAM_GLOBAL_RATE", "STAFF_USER_IDS",
		"OUTBOX_LEASE", "OUTBOX_SWEEP", "JOB_LEASE", "FOLLOWUP_OFFSETS", "FOLLOWUP_HOURS", "FOLLOWUP_REMINDER", "STAFF_DIGEST_AT"} {
		cmd.Env = append(cmd.Env, k+"="+getenv(k))
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func kill9(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// casesOf counts the cases of a chat, reading the store as the bot does (the per-chat
// index is keyed by a hash under DATA_KEY).
func casesOf(t *testing.T, rdb *redis.Client, prefix string, chat int64) int {
	cs, err := testStore(t, rdb, prefix).ByChat(context.Background(), chat)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

// TestCrashMidApplication kills the process with SIGKILL between steps; after a restart
// /start offers to continue the draft, which continues where it stopped.
func TestCrashMidApplication(t *testing.T) {
	bin := buildBinary(t)
	fake, rdb, prefix := newFake(t, "supergroup")
	getenv := env(fake, prefix)

	proc := start(t, bin, getenv)
	c := &chat{t: t, fake: fake, id: petitioner}
	c.firstHalf()
	c.expect("n:back:name")
	kill9(t, proc)

	start(t, bin, getenv)
	c.fake.SendText(petitioner, petitioner, "/start")
	c.press("d:cont")
	c.secondHalf()
	c.press("r:submit")
	c.expectText(`JC-\d{4}-\d{6}`)
	if !fake.WaitFor(func() bool { return len(fake.Sent(staffChat)) == 1 }, wait) {
		t.Fatalf("%d staff alerts, want 1", len(fake.Sent(staffChat)))
	}
	if n := casesOf(t, rdb, prefix, petitioner); n != 1 {
		t.Fatalf("%d cases, want 1", n)
	}
}

// TestCrashAtSubmit kills the process right after the submit press, at varying moments;
// after a restart there is exactly one case and its staff alert arrives.
func TestCrashAtSubmit(t *testing.T) {
	bin := buildBinary(t)
	for i, delay := range []time.Duration{0, 5 * time.Millisecond, 20 * time.Millisecond, 60 * time.Millisecond} {
		t.Run(fmt.Sprint(delay), func(t *testing.T) {
			fake, rdb, prefix := newFake(t, "supergroup")
			getenv := env(fake, prefix)
			proc := start(t, bin, getenv)
			c := &chat{t: t, fake: fake, id: petitioner + int64(i)}
			c.firstHalf()
			c.secondHalf()
			m := c.expect("r:submit")
			fake.PressButton(c.id, c.id, m.MessageID, "r:submit")
			time.Sleep(delay)
			kill9(t, proc)

			start(t, bin, getenv)
			c.expectText(`JC-\d{4}-\d{6}`)
			if !fake.WaitFor(func() bool { return len(fake.Sent(staffChat)) >= 1 }, wait) {
				t.Fatal("no staff alert after the restart")
			}
			if n := casesOf(t, rdb, prefix, c.id); n != 1 {
				t.Fatalf("%d cases after a crash at submit, want 1", n)
			}
			// A second alert is allowed only if the process died between Telegram
			// accepting the alert and the bot recording it; never more.
			if got := len(fake.Sent(staffChat)); got > 2 {
				t.Fatalf("%d staff alerts", got)
			}
		})
	}
}

// TestSIGTERM: the real binary stops polling on SIGTERM, finishes what it has, confirms
// it to Telegram and exits 0.
func TestSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	fake, _, prefix := newFake(t, "supergroup")
	proc := start(t, bin, env(fake, prefix))
	c := &chat{t: t, fake: fake, id: petitioner}
	c.firstHalf()
	c.expect("n:back:name")
	if err := proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- proc.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still running 30 s after SIGTERM")
	}
	if n := fake.Pending(); n != 0 {
		t.Errorf("%d updates left unconfirmed", n)
	}
}
