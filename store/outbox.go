package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// The outbox keeps, per recipient, a list of deliveries in commit order (q:<recipient>).
// A sender claims a recipient with a lease (lease:<recipient>, a token with a time to
// live); only the holder sends to it. ready is a sorted set of the recipients with
// deliveries waiting, scored by when a sweeper may claim them: the end of the current
// lease, or when a failed recipient may be tried again. parts:<recipient> counts the parts
// of the head delivery already sent. cards maps a card's name to its kept message.

// batchMax is how many deliveries one batch carries at most.
const batchMax = 50

// claimScript claims one recipient for a sweeper. KEYS: queue, lease, ready, parts. ARGV:
// token, lease ms, due (unix ms), recipient. Returns {-1} if held, {0} if nothing waits,
// else {1, parts, items}.
var claimScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1} end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[4])
  return {0}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return {1, redis.call('GET', KEYS[4]) or '0', redis.call('LRANGE', KEYS[1], 0, ` + strconv.Itoa(batchMax-1) + `)}
`)

// Claim takes up to max due recipients for a sweeper; see dialogs.Outbox.
func (db *DB) Claim(ctx context.Context, max int) ([]dialogs.Batch, time.Time, error) {
	now := db.opt.Now()
	due, err := db.rdb.ZRangeByScore(ctx, db.keys.ready(), &redis.ZRangeBy{
		Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(max)}).Result()
	if err != nil {
		return nil, time.Time{}, err
	}
	tok := token()
	pipe := db.rdb.Pipeline()
	cmds := make([]*redis.Cmd, len(due))
	for i, name := range due {
		cmds[i] = claimScript.Eval(ctx, pipe, []string{db.keys.queue(name), db.keys.lease(name), db.keys.ready(), db.keys.parts(name)},
			tok, db.opt.Lease.Milliseconds(), now.Add(db.opt.Lease).UnixMilli(), name)
	}
	next := pipe.ZRangeByScoreWithScores(ctx, db.keys.ready(), &redis.ZRangeBy{
		Min: "(" + strconv.FormatInt(now.UnixMilli(), 10), Max: "+inf", Count: 1})
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, time.Time{}, err
	}
	var out []dialogs.Batch
	for i, name := range due {
		res, err := cmds[i].Slice()
		if err != nil {
			return nil, time.Time{}, err
		}
		if code, _ := res[0].(int64); code != 1 {
			continue
		}
		to, ok := dialogs.ParseRecipient(name)
		if !ok {
			return nil, time.Time{}, fmt.Errorf("outbox: bad recipient %q", name)
		}
		items, err := db.decodeItems(name, res[2], res[1])
		if err != nil {
			return nil, time.Time{}, err
		}
		if err := db.fillCards(ctx, items); err != nil {
			return nil, time.Time{}, err
		}
		out = append(out, dialogs.Batch{To: to, Lease: tok, Items: items})
	}
	var when time.Time
	if zs := next.Val(); len(zs) > 0 {
		when = time.UnixMilli(int64(zs[0].Score))
	}
	return out, when, nil
}

// doneScript acknowledges sent deliveries. KEYS: queue, lease, ready, parts, cards. ARGV:
// token, recipient, lease ms, due (unix ms), retry at (unix ms, 0 for none), n, n raw
// items, then card name/message pairs. Returns {-1} if another sender holds the lease, {0}
// when the claim ended, {1, parts, items} when more wait and the claim goes on. A lease
// that expired with nobody else claiming (storage was away longer than it) is taken
// again: the items are compared before they are removed, so only what was sent goes.
var doneScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return {-1} end
local n = tonumber(ARGV[6])
for i = 1, n do
  if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[6 + i] then break end
  redis.call('LPOP', KEYS[1])
  redis.call('DEL', KEYS[4])
end
for i = 7 + n, #ARGV, 2 do redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1]) end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
  return {0}
end
if tonumber(ARGV[5]) > 0 then
  redis.call('DEL', KEYS[2])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[2])
  return {0}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
return {1, redis.call('GET', KEYS[4]) or '0', redis.call('LRANGE', KEYS[1], 0, ` + strconv.Itoa(batchMax-1) + `)}
`)

// Done acknowledges what a sender did with a batch; see dialogs.Outbox.
func (db *DB) Done(ctx context.Context, b dialogs.Batch, s dialogs.Sent) (dialogs.Batch, bool, error) {
	name := b.To.String()
	now := db.opt.Now()
	retry := int64(0)
	if s.RetryIn > 0 {
		retry = now.UnixMilli() + s.RetryIn
	}
	args := []any{b.Lease, name, db.opt.Lease.Milliseconds(), now.Add(db.opt.Lease).UnixMilli(), retry, s.N}
	for _, it := range b.Items[:min(s.N, len(b.Items))] {
		args = append(args, it.Raw)
	}
	for card, msg := range s.Kept {
		args = append(args, card, msg)
	}
	res, err := db.ack(ctx, []string{db.keys.queue(name), db.keys.lease(name), db.keys.ready(),
		db.keys.parts(name), db.keys.cards()}, args)
	if err != nil {
		return dialogs.Batch{}, false, err
	}
	switch code, _ := res[0].(int64); code {
	case -1:
		return dialogs.Batch{}, false, dialogs.ErrLeaseLost
	case 0:
		return dialogs.Batch{}, false, nil
	}
	items, err := db.decodeItems(name, res[2], res[1])
	if err != nil {
		return dialogs.Batch{}, false, err
	}
	if err := db.fillCards(ctx, items); err != nil {
		return dialogs.Batch{}, false, err
	}
	return dialogs.Batch{To: b.To, Lease: b.Lease, Items: items}, true, nil
}

// leaseScript extends a claim (and records parts sent) unless another sender holds it. An
// expired claim nobody took is taken again only while the queue still starts with the
// batch's first delivery: a sender that woke after another took over, sent and
// acknowledged that delivery (and let the claim go) must not send it again. KEYS: lease,
// ready, parts, queue. ARGV: token, lease ms, due, recipient, parts ("" to keep), the
// batch's first raw delivery ("" for none).
var leaseScript = redis.NewScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return -1 end
if not holder and ARGV[6] ~= '' and redis.call('LINDEX', KEYS[4], 0) ~= ARGV[6] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
if ARGV[5] ~= '' then redis.call('SET', KEYS[3], ARGV[5]) end
return 1
`)

func (db *DB) lease(ctx context.Context, b dialogs.Batch, parts string) error {
	name := b.To.String()
	now := db.opt.Now()
	head := ""
	if len(b.Items) > 0 {
		head = b.Items[0].Raw
	}
	n, err := leaseScript.Run(ctx, db.rdb, []string{db.keys.lease(name), db.keys.ready(), db.keys.parts(name), db.keys.queue(name)},
		b.Lease, db.opt.Lease.Milliseconds(), now.Add(db.opt.Lease).UnixMilli(), name, parts, head).Int()
	if err != nil {
		return err
	}
	if n < 0 {
		return dialogs.ErrLeaseLost
	}
	return nil
}

// Renew extends a claim; see dialogs.Outbox.
func (db *DB) Renew(ctx context.Context, b dialogs.Batch) error { return db.lease(ctx, b, "") }

// Progress records the parts of the head delivery sent, renewing the claim.
func (db *DB) Progress(ctx context.Context, b dialogs.Batch, deliveryID string, parts int) error {
	if len(b.Items) == 0 || b.Items[0].ID != deliveryID {
		return fmt.Errorf("outbox: progress of %s, which is not the head of its batch", deliveryID)
	}
	return db.lease(ctx, b, strconv.Itoa(parts))
}

// Mark records that the head delivery is being sent (on) or clears that record, renewing
// the claim; see dialogs.Outbox. It shares the head's record with Progress: "f:<id>" in
// place of the count of parts sent.
func (db *DB) Mark(ctx context.Context, b dialogs.Batch, deliveryID string, on bool) error {
	if len(b.Items) == 0 || b.Items[0].ID != deliveryID {
		return fmt.Errorf("outbox: mark of %s, which is not the head of its batch", deliveryID)
	}
	v := "0"
	if on {
		v = flightMark + deliveryID
	}
	return db.lease(ctx, b, v)
}

// flightMark starts the head record of a delivery being sent.
const flightMark = "f:"

// decodeItems decodes a script's list of stored deliveries; head is the record of the
// first one (parts sent, or in flight). A delivery that cannot be decoded can never be
// sent: it stays in the batch with an empty message, and the sender drops it.
func (db *DB) decodeItems(name string, raw, head any) ([]dialogs.Pending, error) {
	h := fmt.Sprint(head)
	parts, _ := strconv.Atoi(h)
	flight, _ := strings.CutPrefix(h, flightMark)
	list, _ := raw.([]any)
	out := make([]dialogs.Pending, 0, len(list))
	for i, r := range list {
		s, _ := r.(string)
		var d dialogs.Delivery
		if err := db.codec.decode(db.keys.queue(name), s, &d); err != nil {
			d = dialogs.Delivery{ID: "undecodable"}
		}
		p := dialogs.Pending{Delivery: d, Raw: s}
		if i == 0 {
			p.PartsSent = parts
			p.InFlight = strings.HasPrefix(h, flightMark) && flight == d.ID
		}
		out = append(out, p)
	}
	return out, nil
}

// fillCards looks up the kept messages of the items' cards (one round trip, only when
// there are cards).
func (db *DB) fillCards(ctx context.Context, items []dialogs.Pending) error {
	var names []string
	for _, it := range items {
		if it.Card != "" {
			names = append(names, it.Card)
		}
	}
	if len(names) == 0 {
		return nil
	}
	vals, err := db.rdb.HMGet(ctx, db.keys.cards(), names...).Result()
	if err != nil {
		return err
	}
	j := 0
	for i := range items {
		if items[i].Card != "" {
			items[i].CardMsg, _ = vals[j].(string)
			j++
		}
	}
	return nil
}
