// Package redistest gives tests a real Redis. Main finds one (REDIS_TEST_ADDR, else
// 127.0.0.1:6379) or starts a throwaway redis-server on a free port; New hands each test
// a client and a key prefix of its own, and deletes that prefix's keys afterwards.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

var addr string

// Main runs a test binary's tests against a Redis. Without a reachable server and
// without redis-server installed it prints one line saying how to install it and exits 1.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	addr = os.Getenv("REDIS_TEST_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	if !reachable(addr) {
		stop, a, err := Start(os.TempDir(), false)
		if err != nil {
			fmt.Fprintln(os.Stderr, "tests need Redis: none at "+addr+" and "+err.Error()+" (install it: apt-get install redis-server, or brew install redis)")
			return 1
		}
		defer stop()
		addr = a
	}
	return m.Run()
}

func reachable(a string) bool {
	c := redis.NewClient(&redis.Options{Addr: a, DialTimeout: time.Second, DisableIdentity: true, MaxRetries: -1})
	defer c.Close()
	return c.Ping(context.Background()).Err() == nil
}

// Start runs a redis-server on a free port with its files in a new folder under dir,
// append-only persistence on when aof is true. stop shuts it down.
func Start(dir string, aof bool) (stop func(), address string, err error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, "", fmt.Errorf("redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	work, err := os.MkdirTemp(dir, "redis-")
	if err != nil {
		return nil, "", err
	}
	appendonly := "no"
	if aof {
		appendonly = "yes"
	}
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--dir", work,
		"--save", "", "--appendonly", appendonly, "--appendfsync", "always", "--logfile", filepath.Join(work, "redis.log"))
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	address = fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100 && !reachable(address); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		os.RemoveAll(work)
	}
	if !reachable(address) {
		stop()
		return nil, "", fmt.Errorf("redis-server did not start")
	}
	return stop, address, nil
}

// New returns a client of the test Redis and a fresh key prefix; every key under the
// prefix is deleted when the test ends.
func New(t testing.TB) (*redis.Client, string) {
	t.Helper()
	if addr == "" {
		t.Fatal("redistest: call redistest.Main from TestMain")
	}
	c := redis.NewClient(&redis.Options{Addr: addr, DisableIdentity: true})
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "petitionbot-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		it := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for it.Next(ctx) {
			c.Del(ctx, it.Val())
		}
		c.Close()
	})
	return c, prefix
}

// URL returns a redis:// URL of the test Redis.
func URL() string { return "redis://" + addr }
