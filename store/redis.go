package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Connect opens a client for a redis:// or rediss:// URL (see Dial) and pings the server
// once.
func Connect(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	c, err := Dial(rawURL)
	if err != nil {
		return nil, err
	}
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("reach redis: %w", err)
	}
	return c, nil
}

// Dial returns a client for a redis:// or rediss:// URL without reaching the server, so
// its error is always a problem of the URL. It speaks RESP2 (the bot uses no server push,
// and RESP3 makes the client look for pushes on every reply). A URL with several hosts
// (redis://h1:6379,h2:6379) becomes a Cluster client; a master_name query parameter
// (redis://h1:26379?master_name=mymaster) a Sentinel client.
func Dial(rawURL string) (redis.UniversalClient, error) {
	opts, err := universalOptions(rawURL)
	if err != nil {
		return nil, err
	}
	return redis.NewUniversalClient(opts), nil
}

func universalOptions(rawURL string) (*redis.UniversalOptions, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return nil, fmt.Errorf("REDIS_URL must be a redis:// or rediss:// URL")
	}
	master := u.Query().Get("master_name")
	hosts := strings.Split(u.Host, ",")
	if master == "" && len(hosts) == 1 {
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		return withBuffers(&redis.UniversalOptions{
			Addrs: []string{o.Addr}, DB: o.DB, Username: o.Username, Password: o.Password,
			TLSConfig: o.TLSConfig, DisableIdentity: true, Protocol: 2,
			MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
		}), nil
	}
	q := u.Query()
	q.Del("master_name")
	u.RawQuery = q.Encode()
	first := *u
	first.Host = hosts[0]
	o, err := redis.ParseURL(first.String())
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return withBuffers(&redis.UniversalOptions{
		Addrs: hosts, MasterName: master, DB: o.DB, Username: o.Username, Password: o.Password,
		TLSConfig: o.TLSConfig, DisableIdentity: true, Protocol: 2,
	}), nil
}

// withBuffers sizes the connections' buffers for what the bot sends and reads — a few
// kilobytes per pipeline — rather than the client's defaults (32 KiB, and 128 KiB for
// pipelines), which would hold megabytes across the pool for nothing. A larger command
// or reply still goes through, in several reads or writes.
func withBuffers(o *redis.UniversalOptions) *redis.UniversalOptions {
	o.ReadBufferSize, o.WriteBufferSize = 8<<10, 8<<10
	o.PipelineReadBufferSize, o.PipelineWriteBufferSize = 16<<10, 16<<10
	return o
}

// Embedded starts an in-process Redis (miniredis) for running without a server. Nothing
// is persisted. Its clock is advanced in real time so that keys expire as on a real
// server; stop ends that and closes the server.
func Embedded() (client redis.UniversalClient, stop func(), err error) {
	m, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("start embedded redis: %w", err)
	}
	done := make(chan struct{})
	go func() {
		last := time.Now()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				m.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), DisableIdentity: true, Protocol: 2})
	return c, func() { close(done); c.Close(); m.Close() }, nil
}
