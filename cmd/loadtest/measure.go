package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

const staffChat = -100999

// measure runs one bot under the load: petitionbot when echo is "", else the echo bot of
// that kind ("bare" or "tuned").
func measure(c config, dir string, rdb *redis.Client, echo string) (result, error) {
	r := result{name: "petitionbot"}
	if echo != "" {
		r.name = echo + " echo"
	}
	d := fakeapi.NewCrowd(fakeapi.ApplicationScript(serviceDate(), c.questions), c.stopAt)
	fake := fakeapi.Start(fakeapi.WithMaxPollWait(time.Second), fakeapi.WithOnSent(d.Replied))
	defer fake.Close()
	fake.AddChat(staffChat, "supergroup")
	prefix := newPrefix()
	defer deleteKeys(rdb, prefix)

	var ch *child
	var err error
	if echo != "" {
		self, _ := os.Executable()
		ch, err = startChild(self, nil, []string{"LOADTEST_ECHO=" + echo, "LOADTEST_ECHO_TOKEN=" + fake.Token(), "LOADTEST_ECHO_ENDPOINT=" + fake.APIEndpoint()}, dir, r.name)
	} else {
		stats := filepath.Join(dir, "stats.json")
		ch, err = startChild(c.bin, nil, []string{
			"TELEGRAM_BOT_TOKEN=" + fake.Token(), "TELEGRAM_API_ENDPOINT=" + fake.APIEndpoint(),
			"STAFF_CHAT_ID=" + strconv.Itoa(staffChat), "REDIS_URL=redis://" + c.redisAddr, "REDIS_PREFIX=" + prefix,
			"TELEGRAM_CHAT_RATE=100000", "TELEGRAM_GROUP_RATE=6000000", "TELEGRAM_GLOBAL_RATE=100000",
			"PETITIONBOT_STATS_FILE=" + stats, "DATA_KEY=" + randomKey(),
		}, dir, "petitionbot")
		if ch != nil {
			ch.stats = stats
		}
	}
	if err != nil {
		return r, err
	}
	if !fake.WaitFor(fake.Polling, 30*time.Second) {
		_, _ = ch.stop()
		return r, fmt.Errorf("%s does not poll (log %s)", r.name, ch.log)
	}
	chats := make([]int64, c.chats)
	for i := range chats {
		chats[i] = int64(1_000_000 + i)
	}
	before, fetchedBefore, enqueuedBefore, connsBefore := fake.TotalRequests(), fake.HandedOut(), fake.Enqueued(), fake.Connections()
	cpuBefore := redisCPU(rdb)
	start := time.Now()
	d.Start(fake, chats)
	select {
	case <-d.Done():
	case <-time.After(20 * time.Minute):
		_, _ = ch.stop()
		return r, fmt.Errorf("%s: the chats did not finish (log %s)", r.name, ch.log)
	}
	r.elapsed = time.Since(start)
	r.updates = c.chats * d.Steps()
	r.apiCalls = fake.TotalRequests() - before
	r.fetchesPerUpdate = float64(fake.HandedOut()-fetchedBefore) / float64(fake.Enqueued()-enqueuedBefore)
	r.newConns = fake.Connections() - connsBefore
	r.redisCPU = redisCPU(rdb) - cpuBefore
	lat := d.Latencies()
	r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	r.rss, r.peakRSS = ch.rssMB()
	if c.settle > 0 {
		time.Sleep(c.settle)
		r.settledRSS, _ = ch.rssMB()
	}
	if c.stopAt > 0 && echo == "" {
		r.redisBytesPerDraft = perDraft(rdb, prefix, len(chats))
	}
	if r.cpu, err = ch.stop(); err != nil {
		return r, err
	}
	r.stats, err = ch.botStats()
	return r, err
}

// perDraft is the Redis memory a chat's draft in progress takes: every key under the
// run's prefix (sessions, preferences, handled updates, number reservations, anything
// left in the outbox, the shared keys), over the number of chats.
func perDraft(rdb *redis.Client, prefix string, chats int) float64 {
	ctx := context.Background()
	var total int64
	it := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	pipe := rdb.Pipeline()
	var cmds []*redis.IntCmd
	for it.Next(ctx) {
		cmds = append(cmds, pipe.MemoryUsage(ctx, it.Val(), 0))
	}
	_, _ = pipe.Exec(ctx)
	for _, c := range cmds {
		total += c.Val()
	}
	return float64(total) / float64(chats)
}

// redisCPU is the CPU time the Redis server used so far (INFO cpu).
func redisCPU(rdb *redis.Client) time.Duration {
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		return 0
	}
	var total float64
	for _, line := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}

func deleteKeys(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	it := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	for it.Next(ctx) {
		if batch = append(batch, it.Val()); len(batch) == 1000 {
			rdb.Del(ctx, batch...)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		rdb.Del(ctx, batch...)
	}
}

// serviceDate is a service date 60 days ago in Asia/Shanghai: the application's deadline
// is still open whenever the load runs.
func serviceDate() string {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return time.Now().In(loc).AddDate(0, 0, -60).Format(time.DateOnly)
}

func randomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func hostInfo() string {
	return fmt.Sprintf("%d CPUs, %s", runtime.NumCPU(), runtime.Version())
}
