package store

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// indexOp is a change to an index key made together with a record's compare and set:
// "sadd", "srem", "zadd" (score A), "zrem" of the record's member, "pexpire" (A ms), or
// "hset" (field A, value B).
type indexOp struct {
	Key, Op, A, B string
}

// casHashScript replaces field ARGV[1] of hash KEYS[1] by ARGV[3] only while it still
// holds ARGV[2], then applies the index operations: KEYS[i] (i ≥ 2) with op, a, b at
// ARGV[5+3(i-2)…]; ARGV[4] is the member they add or remove. Returns 1, or 0 when the
// value changed meanwhile (nothing is done then).
var casHashScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] ~= ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
local m = ARGV[4]
for i = 2, #KEYS do
  local j = 5 + (i - 2) * 3
  local op, a, b = ARGV[j], ARGV[j + 1], ARGV[j + 2]
  if op == 'sadd' then redis.call('SADD', KEYS[i], m)
  elseif op == 'srem' then redis.call('SREM', KEYS[i], m)
  elseif op == 'zadd' then redis.call('ZADD', KEYS[i], a, m)
  elseif op == 'zrem' then redis.call('ZREM', KEYS[i], m)
  elseif op == 'pexpire' then redis.call('PEXPIRE', KEYS[i], a)
  elseif op == 'hset' then redis.call('HSET', KEYS[i], a, b)
  end
end
return 1
`)

func (db *DB) casHash(ctx context.Context, key, field, old, new, member string, ops []indexOp) (bool, error) {
	keys := []string{key}
	args := []any{field, old, new, member}
	for _, o := range ops {
		keys = append(keys, o.Key)
		args = append(args, o.Op, o.A, o.B)
	}
	n, err := casHashScript.Run(ctx, db.rdb, keys, args...).Int()
	return n == 1, err
}

// casStringScript replaces the string KEYS[1] by ARGV[2], keeping its time to live, only
// while it still holds ARGV[1]. Returns 1, or 0 when it changed meanwhile.
var casStringScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] ~= ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') end
return 1
`)

// rekeySession re-encrypts a session (see splitSession); one that
// changed meanwhile is read again.
func (db *DB) rekeySession(ctx context.Context, key string, st *rekeyRun) error {
	for range rekeyAttempts {
		stored, err := db.rdb.Get(ctx, key).Result()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		if err != nil {
			return err
		}
		_, raw := splitSession(stored)
		if raw == "" {
			return nil
		}
		nv, changed, err := db.codec.reencode(key, raw)
		if err != nil {
			st.Failed++
			return nil
		}
		st.read(key)
		ok, err := casStringScript.Run(ctx, db.rdb, []string{key}, stored, stored[:len(stored)-len(raw)]+nv).Int()
		if err != nil {
			return err
		}
		if ok == 1 {
			st.count(changed)
			return nil
		}
	}
	st.Busy++
	return nil
}

// rekeyHash re-encrypts a record kept in field "d" and applies the index operations ops
// derives from it; a record that changed meanwhile is read again.
func (db *DB) rekeyHash(ctx context.Context, key string, st *rekeyRun, ops func(raw string) ([]indexOp, error)) error {
	for range rekeyAttempts {
		raw, err := db.rdb.HGet(ctx, key, "d").Result()
		if errors.Is(err, redis.Nil) || (err == nil && raw == "") {
			return nil
		}
		if err != nil {
			return err
		}
		nv, changed, err := db.codec.reencode(key, raw)
		if err != nil {
			st.Failed++
			return nil
		}
		o, err := ops(raw)
		if err != nil {
			st.Failed++
			return nil
		}
		st.read(key)
		member := ""
		if len(o) > 0 {
			member = o[0].B
		}
		ok, err := db.casHash(ctx, key, "d", raw, nv, member, o)
		if err != nil {
			return err
		}
		if ok {
			st.count(changed)
			return nil
		}
	}
	st.Busy++
	return nil
}

// hashMoves adds a member to index(current hash) and removes it from the indexes of the
// previous keys' hashes.
func hashMoves(hashes []string, index func(string) string, add indexOp) []indexOp {
	add.Key = index(hashes[0])
	out := []indexOp{add}
	rem := "srem"
	if add.Op == "zadd" {
		rem = "zrem"
	}
	for _, h := range hashes[1:] {
		out = append(out, indexOp{Key: index(h), Op: rem})
	}
	return out
}

// caseIndexOps are the index entries of a stored case under the current key: its chat's
// list (and out of the list keyed by the plain chat id, from before hashing), its search
// terms, and the erasure queue when it is closed. The first op's B is the case number.
func (db *DB) caseIndexOps(key, raw string) ([]indexOp, error) {
	var c dialogs.Case
	if err := db.codec.decode(key, raw, &c); err != nil {
		return nil, err
	}
	out := []indexOp{{Key: db.keys.allCases(), Op: "zadd", A: strconv.FormatInt(c.Submitted.Unix(), 10), B: c.Number}}
	if !c.Erased.IsZero() {
		return out, nil
	}
	if c.ChatID != 0 {
		out = append(out, hashMoves(db.chatHashes(c.ChatID), db.keys.byChat, indexOp{Op: "zadd", A: out[0].A})...)
		out = append(out, indexOp{Key: db.keys.legacyByChat(c.ChatID), Op: "zrem"})
	}
	for _, t := range dialogs.SearchTerms(c) {
		out = append(out, hashMoves(db.opt.Keys.hashes(hashFind, t), db.keys.find, indexOp{Op: "sadd"})...)
	}
	if !c.Closed.IsZero() {
		out = append(out, indexOp{Key: db.keys.closed(), Op: "zadd", A: strconv.FormatInt(c.Closed.Unix(), 10)})
	}
	return out, nil
}

// questionIndexOps move a question to its chat's question index under the current key.
func (db *DB) questionIndexOps(key, raw string) ([]indexOp, error) {
	var q dialogs.Question
	if err := db.codec.decode(key, raw, &q); err != nil {
		return nil, err
	}
	if q.ChatID == 0 {
		return nil, nil
	}
	hashes := db.chatHashes(q.ChatID)
	out := hashMoves(hashes, db.keys.chatQuestions, indexOp{Op: "sadd", B: q.ID})
	return append(out, indexOp{Key: db.keys.chatQuestions(hashes[0]), Op: "pexpire", A: itoa(db.opt.Retention.Milliseconds())}), nil
}

// rekeyPrefs re-encrypts a chat's flags with their keyed hashes; a flag from before flags
// were encrypted (no hash beside it) is encrypted now.
func (db *DB) rekeyPrefs(ctx context.Context, key string, st *rekeyRun) error {
	chat, err := strconv.ParseInt(strings.TrimPrefix(key, db.keys.base()+"p:"), 10, 64)
	if err != nil {
		return nil
	}
	for _, name := range []string{dialogs.FlagAwaiting, dialogs.FlagForm} {
		done := false
		for range rekeyAttempts {
			p, err := db.rdb.HGetAll(ctx, key).Result()
			if err != nil {
				return err
			}
			stored := p[name]
			_, tagged := p[tagField(name)]
			if stored == "" || (tagged && db.codec.current(stored)) {
				if stored != "" {
					st.Current++
				}
				done = true
				break
			}
			value := stored
			if tagged && db.codec.decode(flagKey(key, name), stored, &value) != nil {
				st.Failed++
				done = true
				break
			}
			nv, err := db.codec.encode(flagKey(key, name), value)
			if err != nil {
				return err
			}
			st.read(key)
			tag := indexOp{Key: key, Op: "hset", A: tagField(name), B: db.flagTags(chat, name, value)[0]}
			ok, err := db.casHash(ctx, key, name, stored, nv, "", []indexOp{tag})
			if err != nil {
				return err
			}
			if ok {
				st.count(true)
				done = true
				break
			}
		}
		if !done {
			st.Busy++
		}
	}
	return nil
}

// casListScript replaces item ARGV[1] of list KEYS[1] by ARGV[3] only while it is still
// ARGV[2]; with ARGV[4] = "1", only while no sender holds the lease KEYS[2] (a sender
// acknowledges by comparing the items it read). Returns 1, 0 when the item changed
// (items moved), -1 when the lease is held.
var casListScript = redis.NewScript(`
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if redis.call('LINDEX', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`)

// rekeyList re-encrypts the items of a list: the audit logs, the unanswered questions, a
// recipient's waiting deliveries (lease names the recipient's lease, "" for the others).
func (db *DB) rekeyList(ctx context.Context, key, lease string, st *rekeyRun) error {
	guard, leaseKey := "0", key
	if lease != "" {
		guard, leaseKey = "1", lease
	}
	for range rekeyAttempts {
		items, err := db.rdb.LRange(ctx, key, 0, -1).Result()
		if err != nil {
			return err
		}
		moved := false
		for i, raw := range items {
			nv, changed, err := db.codec.reencode(key, raw)
			if err != nil {
				st.Failed++
				continue
			}
			if !changed {
				st.Current++
				continue
			}
			st.read(key)
			n, err := casListScript.Run(ctx, db.rdb, []string{key, leaseKey}, i, raw, nv, guard).Int()
			if err != nil {
				return err
			}
			switch n {
			case 1:
				st.Rewritten++
				continue
			case -1:
				st.Busy++
				return nil
			}
			moved = true
			break
		}
		if !moved {
			return nil
		}
	}
	st.Busy++
	return nil
}
