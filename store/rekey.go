package store

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RekeyOptions tune a Rekey run.
type RekeyOptions struct {
	// MaxKeys stops the run once about this many keys were looked at, leaving the cursor
	// for the next run (0: no limit).
	MaxKeys int
	// Batch is how many keys one SCAN step asks for; default 200.
	Batch int
	// BeforeWrite, when set, is called with a record's key between reading a value and
	// replacing it: tests write meanwhile to check that such a write wins.
	BeforeWrite func(key string)
}

// rekeyRun is one run's figures and options.
type rekeyRun struct {
	RekeyStats
	before func(key string)
}

func (r *rekeyRun) read(key string) {
	if r.before != nil {
		r.before(key)
	}
}

// RekeyStats count what a Rekey run did.
type RekeyStats struct {
	Keys      int  // keys looked at
	Rewritten int  // values re-encrypted under the current key (and their indexes moved)
	Current   int  // values already under it
	Busy      int  // deliveries being sent right now, or values that kept changing: run again
	Failed    int  // values no key of the ring decrypts
	Resumed   bool // the run went on from the cursor a previous run left
	Done      bool // the scan reached the end (the cursor is gone)
}

// Rekey re-encrypts every record under the current data key: records written under a
// previous key or before encryption (plain JSON), with the keyed-hash indexes moved to the
// current key's hashes (the per-chat case index, /find, a chat's questions, flags' hashes)
// and cases closed before the erasure job existed added to its queue. It is safe while
// the bot runs: each value is replaced only if it is still the one read (compare and
// set), and a delivery a sender holds is left for a later run. It is resumable: the SCAN
// cursor is kept in Redis ({pb}:rekey) after every step, and a run that finds it goes on
// from there; running it again is harmless.
func (db *DB) Rekey(ctx context.Context, opt RekeyOptions) (RekeyStats, error) {
	run := &rekeyRun{before: opt.BeforeWrite}
	st := &run.RekeyStats
	if db.opt.Keys == nil {
		return *st, errors.New("rekey needs a data key")
	}
	if opt.Batch <= 0 {
		opt.Batch = 200
	}
	sc, err := db.scanClient(ctx)
	if err != nil {
		return *st, err
	}
	saved, err := db.rdb.HGet(ctx, db.keys.rekey(), "cursor").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return *st, err
	}
	cursor, _ := strconv.ParseUint(saved, 10, 64)
	st.Resumed = cursor != 0
	for {
		keys, next, err := sc.Scan(ctx, cursor, db.keys.base()+"*", int64(opt.Batch)).Result()
		if err != nil {
			return *st, err
		}
		for _, k := range keys {
			if err := db.rekeyKey(ctx, k, run); err != nil {
				return *st, err
			}
			st.Keys++
		}
		cursor = next
		if cursor == 0 {
			st.Done = true
			return *st, db.rdb.HDel(ctx, db.keys.rekey(), "cursor").Err()
		}
		if err := db.rdb.HSet(ctx, db.keys.rekey(), "cursor", strconv.FormatUint(cursor, 10)).Err(); err != nil {
			return *st, err
		}
		if opt.MaxKeys > 0 && st.Keys >= opt.MaxKeys {
			return *st, nil
		}
	}
}

// scanClient is the client whose SCAN sees the bot's keys: on a Cluster, the master of
// their slot (every key carries the hash tag {pb}).
func (db *DB) scanClient(ctx context.Context) (redis.Cmdable, error) {
	if cc, ok := db.rdb.(*redis.ClusterClient); ok {
		return cc.MasterForKey(ctx, db.keys.base())
	}
	return db.rdb, nil
}

// rekeyKey dispatches a key to the handler of its kind; keys that hold no record (indexes,
// counters, leases, the sequence) are left as they are: the records' handlers move the
// indexes.
func (db *DB) rekeyKey(ctx context.Context, key string, st *rekeyRun) error {
	rest := strings.TrimPrefix(key, db.keys.base())
	kind, _, _ := strings.Cut(rest, ":")
	switch {
	case kind == "s":
		return db.rekeySession(ctx, key, st)
	case kind == "case":
		return db.rekeyHash(ctx, key, st, func(raw string) ([]indexOp, error) { return db.caseIndexOps(key, raw) })
	case kind == "question":
		return db.rekeyHash(ctx, key, st, func(raw string) ([]indexOp, error) { return db.questionIndexOps(key, raw) })
	case kind == "p":
		return db.rekeyPrefs(ctx, key, st)
	case kind == "audit" || rest == "kb:unanswered":
		return db.rekeyList(ctx, key, "", st)
	case kind == "q":
		return db.rekeyList(ctx, key, db.keys.lease(strings.TrimPrefix(rest, "q:")), st)
	}
	return nil
}

// rekeyAttempts bounds how often a value that changed under a rekey is read again.
const rekeyAttempts = 5

// count records the outcome of one value's compare and set.
func (st *RekeyStats) count(changed bool) {
	if changed {
		st.Rewritten++
	} else {
		st.Current++
	}
}
