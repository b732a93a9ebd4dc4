package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// Closed cases wait in the sorted set {pb}:closed, scored by when they were closed (the
// commit keeps it: a case closed, not accepted or withdrawn is added, a reopened or
// erased one removed). EraseClosed takes the oldest; what survives a restart is the set
// itself, and erasing a case twice is impossible (its version is checked and it leaves
// the set with the erasure).

// eraseScript stores the erased case KEYS[1] if its version is still ARGV[1]. KEYS: case,
// closed set, retention figures, then ARGV[4] /find index keys and the per-chat index
// keys. ARGV: version, erased record, number, number of /find keys, now (unix).
var eraseScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'd', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HINCRBY', KEYS[3], 'erased', 1)
redis.call('HSET', KEYS[3], 'last', ARGV[5])
local n = tonumber(ARGV[4])
for i = 4, 3 + n do redis.call('SREM', KEYS[i], ARGV[3]) end
for i = 4 + n, #KEYS do redis.call('ZREM', KEYS[i], ARGV[3]) end
return 1
`)

// EraseClosed erases the personal data (dialogs.ErasePersonal) of up to max cases closed
// at or before before, oldest first, and takes them out of the /find and per-chat
// indexes. It returns how many it erased and whether more wait. A case changed meanwhile
// (a staff action) is left for the next run; one reopened or already erased leaves the
// queue.
func (db *DB) EraseClosed(ctx context.Context, before time.Time, max int) (int, bool, error) {
	now := db.opt.Now()
	numbers, err := db.rdb.ZRangeByScore(ctx, db.keys.closed(), &redis.ZRangeBy{
		Min: "-inf", Max: strconv.FormatInt(before.Unix(), 10), Count: int64(max)}).Result()
	if err != nil {
		return 0, false, err
	}
	erased := 0
	for _, n := range numbers {
		ok, err := db.eraseOne(ctx, n, before, now)
		if err != nil {
			return erased, false, err
		}
		if ok {
			erased++
		}
	}
	if err := db.rdb.HSet(ctx, db.keys.retention(), "last", now.Unix()).Err(); err != nil {
		return erased, false, err
	}
	return erased, len(numbers) == max, nil
}

func (db *DB) eraseOne(ctx context.Context, number string, before, now time.Time) (bool, error) {
	c, err := db.Get(ctx, number)
	if errors.Is(err, dialogs.ErrNotFound) || (err == nil && (c.Closed.IsZero() || !c.Erased.IsZero())) {
		return false, db.rdb.ZRem(ctx, db.keys.closed(), number).Err()
	}
	if err != nil {
		return false, err
	}
	if c.Closed.After(before) {
		return false, nil
	}
	e := dialogs.ErasePersonal(c, now)
	key := db.keys.caseRec(number)
	d, err := db.codec.encode(key, e)
	if err != nil {
		return false, err
	}
	keys := []string{key, db.keys.closed(), db.keys.retention()}
	var finds int
	for _, t := range dialogs.SearchTerms(c) {
		for _, h := range db.opt.Keys.hashes(hashFind, t) {
			keys = append(keys, db.keys.find(h))
			finds++
		}
	}
	if c.ChatID != 0 {
		for _, h := range db.chatHashes(c.ChatID) {
			keys = append(keys, db.keys.byChat(h))
		}
		keys = append(keys, db.keys.legacyByChat(c.ChatID))
	}
	n, err := eraseScript.Run(ctx, db.rdb, keys, strconv.FormatInt(c.Version, 10), d, number, finds, now.Unix()).Int()
	return n == 1, err
}
