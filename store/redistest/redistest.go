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
	s, err := StartServer(dir, aof, 0)
	if err != nil {
		return nil, "", err
	}
	return s.Stop, s.Addr, nil
}

// Server is a redis-server a test controls: Kill stops it at once, as a crash would, and
// Restart starts it again on the same port with the same files (with aof, the data
// written before the kill comes back: every write is fsynced).
type Server struct {
	Addr string // host:port

	bin, work string
	port      int
	aof       bool
	cmd       *exec.Cmd
}

// StartServer runs a redis-server on port (0: a free one) with its files in a new folder
// under dir, append-only persistence (fsync on every write) on when aof is true.
func StartServer(dir string, aof bool, port int) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server is not installed")
	}
	if port == 0 {
		if port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	work, err := os.MkdirTemp(dir, "redis-")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), bin: bin, work: work, port: port, aof: aof}
	if err := s.Restart(); err != nil {
		os.RemoveAll(work)
		return nil, err
	}
	return s, nil
}

// FreePort returns a TCP port nothing listens on now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Restart starts the server (again), waiting until it answers.
func (s *Server) Restart() error {
	appendonly := "no"
	if s.aof {
		appendonly = "yes"
	}
	cmd := exec.Command(s.bin, "--port", fmt.Sprint(s.port), "--bind", "127.0.0.1", "--dir", s.work,
		"--save", "", "--appendonly", appendonly, "--appendfsync", "always", "--logfile", filepath.Join(s.work, "redis.log"))
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	for i := 0; i < 200 && !reachable(s.Addr); i++ {
		time.Sleep(25 * time.Millisecond)
	}
	if !reachable(s.Addr) {
		s.Kill()
		return fmt.Errorf("redis-server did not start")
	}
	return nil
}

// Kill stops the server with SIGKILL, keeping its files.
func (s *Server) Kill() {
	if s.cmd != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

// Stop kills the server and removes its files.
func (s *Server) Stop() {
	s.Kill()
	os.RemoveAll(s.work)
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
