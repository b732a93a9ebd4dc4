package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is a bot process under test.
type child struct {
	cmd   *exec.Cmd
	stats string // petitionbot's PETITIONBOT_STATS_FILE, "" for the echo bot
	log   string
}

// startChild starts bin with env added to this process's environment, its output in a
// log file under dir.
func startChild(bin string, args []string, env []string, dir, name string) (*child, error) {
	c := &child{log: filepath.Join(dir, name+".log")}
	f, err := os.Create(c.log)
	if err != nil {
		return nil, err
	}
	c.cmd = exec.Command(bin, args...)
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout, c.cmd.Stderr = f, f
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	return c, nil
}

// rssMB returns the process's resident memory and its peak, in MB (Linux /proc).
func (c *child) rssMB() (now, peak float64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			now = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return now, peak
}

// stop sends SIGTERM, waits for the exit and returns the CPU time the process used.
func (c *child) stop() (time.Duration, error) {
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return 0, fmt.Errorf("%s exited: %w (log %s)", c.cmd.Path, err, c.log)
		}
	case <-time.After(60 * time.Second):
		_ = c.cmd.Process.Kill()
		return 0, fmt.Errorf("%s did not stop (log %s)", c.cmd.Path, c.log)
	}
	st := c.cmd.ProcessState
	return st.UserTime() + st.SystemTime(), nil
}

// botStats is what petitionbot wrote to its stats file at exit.
type botStats struct {
	Updates         int     `json:"updates"`
	RedisRoundTrips int64   `json:"redis_round_trips"`
	HandleP50Ms     float64 `json:"handle_p50_ms"`
	HandleP99Ms     float64 `json:"handle_p99_ms"`
}

func (c *child) botStats() (botStats, error) {
	var s botStats
	if c.stats == "" {
		return s, nil
	}
	b, err := os.ReadFile(c.stats)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil // a binary older than PETITIONBOT_STATS_FILE: no figures of its own
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(b, &s)
}
