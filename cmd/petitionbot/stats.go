package main

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// runStats counts what a load test reads when the bot exits (PETITIONBOT_STATS_FILE): the
// updates handled, the Redis round trips made, and how long handling took.
type runStats struct {
	roundTrips atomic.Int64
	mu         sync.Mutex
	handled    []time.Duration
}

// StatsReport is the JSON written to PETITIONBOT_STATS_FILE.
type StatsReport struct {
	Updates         int     `json:"updates"`
	RedisRoundTrips int64   `json:"redis_round_trips"`
	HandleP50Ms     float64 `json:"handle_p50_ms"`
	HandleP99Ms     float64 `json:"handle_p99_ms"`
}

// observe records one update's handling time.
func (s *runStats) observe(d time.Duration) {
	s.mu.Lock()
	s.handled = append(s.handled, d)
	s.mu.Unlock()
}

func (s *runStats) report() StatsReport {
	s.mu.Lock()
	d := slices.Clone(s.handled)
	s.mu.Unlock()
	slices.Sort(d)
	r := StatsReport{Updates: len(d), RedisRoundTrips: s.roundTrips.Load()}
	if len(d) > 0 {
		r.HandleP50Ms = float64(d[len(d)/2]) / 1e6
		r.HandleP99Ms = float64(d[len(d)*99/100]) / 1e6
	}
	return r
}

// write saves the report to path.
func (s *runStats) write(path string) error {
	b, err := json.Marshal(s.report())
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// redis.Hook: every command sent alone and every pipeline is one round trip.
func (s *runStats) DialHook(next redis.DialHook) redis.DialHook { return next }

func (s *runStats) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		s.roundTrips.Add(1)
		return next(ctx, cmd)
	}
}

func (s *runStats) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		s.roundTrips.Add(1)
		return next(ctx, cmds)
	}
}

var _ redis.Hook = (*runStats)(nil)
