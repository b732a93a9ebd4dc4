package store

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// reserveScript returns the number reserved for a draft, reserving the next one of the
// year the first time. KEYS: draft index, year sequence. ARGV: case prefix, year, draft
// index ttl (seconds).
var reserveScript = redis.NewScript(`
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
local n = redis.call('INCR', KEYS[2])
local number = string.format('%s-%s-%06d', ARGV[1], ARGV[2], n)
redis.call('SET', KEYS[1], number, 'EX', ARGV[3])
return number
`)

// Reserve returns the number for a draft being submitted: the year's next number the first
// time, the same one on every retry; see dialogs.Cases.
func (db *DB) Reserve(ctx context.Context, draftID string, year int) (string, error) {
	return reserveScript.Run(ctx, db.rdb, []string{db.keys.byDraft(draftID), db.keys.seq(year)},
		db.opt.CasePrefix, year, int64(db.opt.DraftTTL.Seconds())).Text()
}

// Get returns a case with its version, or dialogs.ErrNotFound.
func (db *DB) Get(ctx context.Context, number string) (dialogs.Case, error) {
	key := db.keys.caseRec(number)
	vals, err := db.rdb.HMGet(ctx, key, "v", "d").Result()
	if err != nil {
		return dialogs.Case{}, err
	}
	return db.decodeCase(key, vals)
}

func (db *DB) decodeCase(key string, vals []any) (dialogs.Case, error) {
	d, ok := vals[1].(string)
	if !ok {
		return dialogs.Case{}, dialogs.ErrNotFound
	}
	var c dialogs.Case
	if err := db.codec.decode(key, d, &c); err != nil {
		return dialogs.Case{}, err
	}
	s, _ := vals[0].(string)
	c.Version, _ = strconv.ParseInt(s, 10, 64)
	return c, nil
}

// ByChat lists a chat's cases, newest first. The index is keyed by the chat's keyed
// hash; during a key rotation, by its hash under every key.
func (db *DB) ByChat(ctx context.Context, chatID int64) ([]dialogs.Case, error) {
	hashes := db.chatHashes(chatID)
	pipe := db.rdb.Pipeline()
	cmds := make([]*redis.ZSliceCmd, len(hashes))
	for i, h := range hashes {
		cmds[i] = pipe.ZRevRangeWithScores(ctx, db.keys.byChat(h), 0, 99)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var zs []redis.Z
	for _, c := range cmds {
		for _, z := range c.Val() {
			if !slices.ContainsFunc(zs, func(o redis.Z) bool { return o.Member == z.Member }) {
				zs = append(zs, z)
			}
		}
	}
	slices.SortStableFunc(zs, func(a, b redis.Z) int { return cmp.Compare(b.Score, a.Score) })
	numbers := make([]string, len(zs))
	for i, z := range zs {
		numbers[i], _ = z.Member.(string)
	}
	return db.getAll(ctx, numbers)
}

// Find returns the cases indexed under the keyed hash of one of terms (under every key)
// that still have one of them: an index member whose case changed or was erased is left
// out. Oldest first.
func (db *DB) Find(ctx context.Context, terms []string) ([]dialogs.Case, error) {
	pipe := db.rdb.Pipeline()
	var cmds []*redis.StringSliceCmd
	for _, t := range terms {
		for _, h := range db.opt.Keys.hashes(hashFind, t) {
			cmds = append(cmds, pipe.SMembers(ctx, db.keys.find(h)))
		}
	}
	if len(cmds) == 0 {
		return nil, nil
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var numbers []string
	for _, c := range cmds {
		for _, n := range c.Val() {
			if !slices.Contains(numbers, n) {
				numbers = append(numbers, n)
			}
		}
	}
	cases, err := db.getAll(ctx, numbers)
	if err != nil {
		return nil, err
	}
	out := cases[:0]
	for _, c := range cases {
		if slices.ContainsFunc(dialogs.SearchTerms(c), func(t string) bool { return slices.Contains(terms, t) }) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b dialogs.Case) int { return a.Submitted.Compare(b.Submitted) })
	return out, nil
}

// List returns every case, oldest first.
func (db *DB) List(ctx context.Context) ([]dialogs.Case, error) {
	numbers, err := db.rdb.ZRange(ctx, db.keys.allCases(), 0, -1).Result()
	if err != nil {
		return nil, err
	}
	return db.getAll(ctx, numbers)
}

// AuditLog returns the audit entries of a case, or all of them for "", oldest first.
func (db *DB) AuditLog(ctx context.Context, number string) ([]dialogs.AuditEntry, error) {
	key := db.keys.audit()
	if number != "" {
		key = db.keys.caseAudit(number)
	}
	raw, err := db.rdb.LRange(ctx, key, 0, -1).Result()
	if err != nil {
		return nil, err
	}
	out := make([]dialogs.AuditEntry, 0, len(raw))
	for _, r := range raw {
		var a dialogs.AuditEntry
		if err := db.codec.decode(key, r, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Question returns a question handed to staff, or dialogs.ErrNotFound.
func (db *DB) Question(ctx context.Context, id string) (dialogs.Question, error) {
	key := db.keys.question(id)
	d, err := db.rdb.HGet(ctx, key, "d").Result()
	if errors.Is(err, redis.Nil) {
		return dialogs.Question{}, dialogs.ErrNotFound
	}
	if err != nil {
		return dialogs.Question{}, err
	}
	var q dialogs.Question
	return q, db.codec.decode(key, d, &q)
}

// getAll reads cases by number in one round trip, skipping missing ones.
func (db *DB) getAll(ctx context.Context, numbers []string) ([]dialogs.Case, error) {
	if len(numbers) == 0 {
		return nil, nil
	}
	pipe := db.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(numbers))
	for i, n := range numbers {
		cmds[i] = pipe.HMGet(ctx, db.keys.caseRec(n), "v", "d")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, err
	}
	out := make([]dialogs.Case, 0, len(numbers))
	for i, cmd := range cmds {
		c, err := db.decodeCase(db.keys.caseRec(numbers[i]), cmd.Val())
		if errors.Is(err, dialogs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// StaffChat returns the id the configured staff chat moved to when Telegram migrated the
// group, if it did.
func (db *DB) StaffChat(ctx context.Context, configured int64) (int64, bool, error) {
	n, err := db.rdb.HGet(ctx, db.keys.staffChat(), id(configured)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// SetStaffChat records that the staff chat old moved to new.
func (db *DB) SetStaffChat(ctx context.Context, old, new int64) error {
	return db.rdb.HSet(ctx, db.keys.staffChat(), id(old), new).Err()
}
