// Command loadtest measures petitionbot against two echo bots built on the same Telegram
// library, side by side in one run: it starts a fake Bot API in process, runs each bot as
// a child process against it, and drives many simulated petitioners through whole
// applications and questions, each answering as soon as the bot replies. It prints, for
// each bot, updates per second, the turn latency, API calls, Redis round trips and CPU
// time per update, and memory; then the ratio of their throughputs.
//
//	go run ./cmd/loadtest -chats 1000
//
// Flags: -chats N (simulated petitioners), -questions N (questions after each
// application), -stop-at N (each chat stops after N steps: drafts left in progress, to
// measure memory), -redis ADDR (a real Redis; keys under a fresh prefix, deleted after),
// -bin PATH (a petitionbot binary; default: built from this module), -settle D (wait D
// after the chats finished and measure the bot's memory again), -echo=false (skip the
// echo bots; echo.go says what each is). Rate limits are raised for the run; all bots
// see the same fake API.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// config is the command line.
type config struct {
	chats, questions, stopAt int
	redisAddr, bin           string
	echo                     bool
	settle                   time.Duration
}

func main() {
	if kind := os.Getenv("LOADTEST_ECHO"); kind != "" { // this binary as an echo bot child
		if err := runEcho(kind, os.Getenv("LOADTEST_ECHO_TOKEN"), os.Getenv("LOADTEST_ECHO_ENDPOINT")); err != nil {
			fmt.Fprintln(os.Stderr, "echo:", err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.IntVar(&c.chats, "chats", 1000, "simulated petitioners, all at once")
	flag.IntVar(&c.questions, "questions", 2, "knowledge-base questions each asks after applying")
	flag.IntVar(&c.stopAt, "stop-at", 0, "each chat stops after this many steps (0: the whole script)")
	flag.StringVar(&c.redisAddr, "redis", "127.0.0.1:6379", "a real Redis")
	flag.StringVar(&c.bin, "bin", "", "a petitionbot binary (default: go build ./cmd/petitionbot)")
	flag.BoolVar(&c.echo, "echo", true, "also measure the echo bots")
	flag.DurationVar(&c.settle, "settle", 0, "after the chats finish, wait this long and measure the bot's memory again")
	flag.Parse()
	if err := run(c, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// result is one bot's measurements.
type result struct {
	name               string
	updates            int
	elapsed            time.Duration
	p50, p99           time.Duration
	apiCalls           int
	fetchesPerUpdate   float64 // how often getUpdates returned each update
	newConns           int64   // TCP connections opened to the Bot API during the run
	cpu                time.Duration
	redisCPU           time.Duration
	rss, peakRSS       float64
	settledRSS         float64 // -settle after the chats finished
	stats              botStats
	redisBytesPerDraft float64
}

func run(c config, out io.Writer) error {
	dir, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return err
	}
	if os.Getenv("LOADTEST_KEEP") == "" {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintln(os.Stderr, "keeping", dir)
	}
	if c.bin == "" {
		c.bin = filepath.Join(dir, "petitionbot")
		if b, err := exec.Command("go", "build", "-o", c.bin, "github.com/petitionbot/petitionbot/cmd/petitionbot").CombinedOutput(); err != nil {
			return fmt.Errorf("build petitionbot: %v\n%s", err, b)
		}
	}
	rdb := redis.NewClient(&redis.Options{Addr: c.redisAddr, DisableIdentity: true})
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		return fmt.Errorf("no Redis at %s: %w", c.redisAddr, err)
	}
	fmt.Fprintf(out, "%d chats, %d steps each, on %s\n", c.chats, stepsOf(c), hostInfo())
	pb, err := measure(c, dir, rdb, "")
	if err != nil {
		return err
	}
	report(out, pb)
	if !c.echo {
		return nil
	}
	tuned, err := measure(c, dir, rdb, "tuned")
	if err != nil {
		return err
	}
	report(out, tuned)
	bare, err := measure(c, dir, rdb, "bare")
	if err != nil {
		return err
	}
	report(out, bare)
	fmt.Fprintf(out, "ratio (petitionbot / tuned echo, updates per second): %.2f\n", rate(pb)/rate(tuned))
	fmt.Fprintf(out, "ratio (petitionbot / bare echo, updates per second): %.2f\n", rate(pb)/rate(bare))
	return nil
}

func stepsOf(c config) int {
	n := len(fakeapi.ApplicationScript("", c.questions))
	if c.stopAt > 0 && c.stopAt < n {
		return c.stopAt
	}
	return n
}

func rate(r result) float64 { return float64(r.updates) / r.elapsed.Seconds() }

func report(out io.Writer, r result) {
	per := func(x float64) float64 { return x / float64(r.updates) }
	fmt.Fprintf(out, "%-12s %7d updates in %6.1f s: %6.0f updates/s; turn p50 %5.1f ms, p99 %6.1f ms; API calls/update %.2f; fetched %.2f times each; new connections/update %.4f; CPU/update %.3f ms; RSS %.0f MB (peak %.0f)",
		r.name, r.updates, r.elapsed.Seconds(), rate(r), ms(r.p50), ms(r.p99), per(float64(r.apiCalls)),
		r.fetchesPerUpdate, per(float64(r.newConns)), per(float64(r.cpu.Microseconds()))/1000, r.rss, r.peakRSS)
	if r.stats.Updates > 0 {
		fmt.Fprintf(out, "; Redis round trips/update %.2f; Redis CPU/update %.3f ms; handling p50 %.2f ms, p99 %.2f ms",
			float64(r.stats.RedisRoundTrips)/float64(r.stats.Updates), per(float64(r.redisCPU.Microseconds()))/1000,
			r.stats.HandleP50Ms, r.stats.HandleP99Ms)
	}
	if r.settledRSS > 0 {
		fmt.Fprintf(out, "; RSS %.0f MB after the settle time", r.settledRSS)
	}
	if r.redisBytesPerDraft > 0 {
		fmt.Fprintf(out, "; Redis %.0f B per draft", r.redisBytesPerDraft)
	}
	fmt.Fprintln(out)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newPrefix() string { return "loadtest-" + randomKey()[:8] + ":" }
