package store

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Pacer spaces proactive messages (those sent because a job fell due) for every process
// sharing the Redis: at most Rate per second overall and one per second to any one chat.
// It is a generic cell rate algorithm (GCRA) in one Lua script: each key holds the
// theoretical time of the next free slot, and a reservation takes the earliest instant
// both the overall and the chat's schedule allow, so nothing polls and one reservation
// costs one round trip. Replies to users never touch it.
type Pacer struct {
	db       *DB
	interval int64  // µs between two proactive messages overall
	all      string // the overall key
	chat     func(int64) string
	perChat  int64 // µs between two to one chat; 0 for none
}

// Pacer returns the shared pacer of proactive sends: at most rate a second overall and
// one a second to any one chat. A sender reserves a slot right before it sends and sends
// within late of it (or takes another). The slots are spaced (1 s + late) / (rate − 1)
// apart, so that however the sends fall within their tolerance, no one-second window
// holds more than rate of them.
func (db *DB) Pacer(rate float64, late time.Duration) *Pacer {
	return &Pacer{db: db, interval: interval(rate, late), all: db.keys.paceAll(), chat: db.keys.paceChat, perChat: chatInterval}
}

// FirePacer returns the shared pacer of firing jobs that write to petitioners, at the
// pace of their sends: jobs wait in the schedule rather than as a backlog of messages in
// the outbox.
func (db *DB) FirePacer(rate float64, late time.Duration) *Pacer {
	return &Pacer{db: db, interval: interval(rate, late), all: db.keys.paceFire(), chat: func(int64) string { return db.keys.paceFire() + ":last" }}
}

// interval is the spacing of slots in µs for at most rate a second with sends up to late
// after their slot.
func interval(rate float64, late time.Duration) int64 {
	if rate <= 0 {
		rate = 25
	}
	window := 1e6 + float64(late.Microseconds())
	if rate > 1 {
		return int64(math.Ceil(window / (rate - 1)))
	}
	return int64(math.Ceil(window/rate)) + 1
}

// chatInterval is the shortest time between two proactive messages to one chat, in µs.
const chatInterval = 1_000_000

// paceScript reserves a slot. KEYS: overall, chat. ARGV: now µs, overall interval µs,
// chat interval µs, horizon µs. Returns {1, at µs} when reserved, {0, at µs} when the
// earliest slot lies beyond the horizon (nothing reserved). Times are kept as whole
// microseconds printed with %.0f (Lua's own number printing would round them).
var paceScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local all = tonumber(redis.call('GET', KEYS[1]) or '0')
local chat = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, all, chat)
if at - now > tonumber(ARGV[4]) then return {0, string.format('%.0f', at)} end
local ttl = math.floor((at - now) / 1000) + 60000
redis.call('SET', KEYS[1], string.format('%.0f', at + tonumber(ARGV[2])), 'PX', ttl)
redis.call('SET', KEYS[2], string.format('%.0f', at + tonumber(ARGV[3])), 'PX', ttl)
return {1, string.format('%.0f', at)}
`)

// Reserve reserves the earliest slot for a proactive message to chat, if it lies within
// horizon from now: the message must be sent at that time (not before). When the
// earliest slot lies further, nothing is reserved and at says when to ask again.
func (p *Pacer) Reserve(ctx context.Context, chat int64, horizon time.Duration) (at time.Time, ok bool, err error) {
	now := p.db.opt.Now()
	res, err := paceScript.Run(ctx, p.db.rdb, []string{p.all, p.chat(chat)},
		now.UnixMicro(), p.interval, p.perChat, horizon.Microseconds()).Slice()
	if err != nil {
		return time.Time{}, false, err
	}
	got, _ := res[0].(int64)
	us, err := strconv.ParseInt(fmt.Sprint(res[1]), 10, 64)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("pacer: reply %v", res)
	}
	return time.UnixMicro(us), got == 1, nil
}
