package store

import (
	"context"
	"math"
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
	interval int64 // ms between two proactive messages overall
}

// Pacer returns the shared pacer for rate proactive messages per second (rounded down to
// a whole number of milliseconds between two, so never above rate).
func (db *DB) Pacer(rate float64) *Pacer {
	if rate <= 0 {
		rate = 25
	}
	return &Pacer{db: db, interval: int64(math.Max(1, math.Ceil(1000/rate)))}
}

// chatInterval is the shortest time between two proactive messages to one chat.
const chatInterval = 1000

// paceScript reserves a slot. KEYS: overall, chat. ARGV: now ms, overall interval ms,
// chat interval ms, horizon ms. Returns {1, at} when reserved, {0, at} when the earliest
// slot lies beyond the horizon (nothing reserved).
var paceScript = redis.NewScript(`
local now = tonumber(ARGV[1])
local all = tonumber(redis.call('GET', KEYS[1]) or '0')
local chat = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, all, chat)
if at - now > tonumber(ARGV[4]) then return {0, at} end
redis.call('SET', KEYS[1], at + tonumber(ARGV[2]), 'PX', at - now + tonumber(ARGV[2]) + 60000)
redis.call('SET', KEYS[2], at + tonumber(ARGV[3]), 'PX', at - now + tonumber(ARGV[3]) + 60000)
return {1, at}
`)

// Reserve reserves the earliest slot for a proactive message to chat, if it lies within
// horizon from now: the message must be sent at that time (not before). When the
// earliest slot lies further, nothing is reserved and at says when to ask again.
func (p *Pacer) Reserve(ctx context.Context, chat int64, horizon time.Duration) (at time.Time, ok bool, err error) {
	now := p.db.opt.Now()
	res, err := paceScript.Run(ctx, p.db.rdb, []string{p.db.keys.paceAll(), p.db.keys.paceChat(chat)},
		now.UnixMilli(), p.interval, chatInterval, horizon.Milliseconds()).Int64Slice()
	if err != nil {
		return time.Time{}, false, err
	}
	return time.UnixMilli(res[1]), res[0] == 1, nil
}
