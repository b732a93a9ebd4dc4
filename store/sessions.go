package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// Load returns the session of key with its version and the chat's preferences and flags,
// and whether updateID was committed for it within the last 48 hours: one round trip, or
// none when this process holds the session in its cache (see cache.go; Seen is then
// false, and Commit reports a duplicate).
func (db *DB) Load(ctx context.Context, k dialogs.SessionKey, updateID string) (dialogs.Loaded, error) {
	if c, ok := db.cache.get(k, db.opt.Now()); ok {
		var l dialogs.Loaded
		l.Version = c.version
		if c.json != nil {
			if err := json.Unmarshal(c.json, &l.Session); err != nil {
				return dialogs.Loaded{}, err
			}
		}
		l.Session.Lang, l.Session.Awaiting, l.Session.FormStart = c.lang, c.awaiting, c.formStart
		return l, nil
	}
	skey := db.keys.session(k.Chat, k.User)
	pipe := db.rdb.Pipeline()
	sess := pipe.Get(ctx, skey)
	prefs := pipe.HGetAll(ctx, db.keys.prefs(k.User))
	seen := pipe.ZScore(ctx, db.keys.seen(k.Chat, k.User), updateID)
	settle := ride(ctx, pipe, db.acks.take()) // waiting acknowledgements ride along
	_, err := pipe.Exec(ctx)
	settle()
	if err := firstErr(err, sess, prefs); err != nil {
		return dialogs.Loaded{}, err
	}
	var l dialogs.Loaded
	head, d := splitSession(sess.Val())
	l.Version = head.version
	var plain []byte
	if d != "" {
		if plain, err = db.codec.plain(skey, d); err != nil {
			return dialogs.Loaded{}, err
		}
		if err := json.Unmarshal(plain, &l.Session); err != nil {
			return dialogs.Loaded{}, fmt.Errorf("decode %s: %w", db.codec.name(skey), err)
		}
	}
	p := prefs.Val()
	pkey := db.keys.prefs(k.User)
	l.Session.Lang = p["lang"]
	l.Session.Awaiting = db.flagValue(pkey, p, dialogs.FlagAwaiting)
	l.Session.FormStart = db.flagValue(pkey, p, dialogs.FlagForm)
	l.Seen = seen.Err() == nil || head.seen(updateID, db.opt.Now())
	pvs, versioned := p[prefsVersion]
	if len(p) > 0 && !versioned {
		return l, nil // preferences from before they had versions: not cached
	}
	pv, _ := strconv.ParseInt(pvs, 10, 64)
	db.cache.put(cached{key: k, version: head.version, prefsVersion: pv, json: plain,
		lang: l.Session.Lang, awaiting: l.Session.Awaiting, formStart: l.Session.FormStart, at: db.opt.Now()})
	return l, nil
}

// prefsVersion is the field of a preferences hash that every write to it raises.
const prefsVersion = "pv"

// commitScript stores the effects of one update; ARGV[1] is a plan (see commitPlan), the
// stored records are the other ARGV (the plan names them by index, so that they are not
// escaped into its JSON), every key it touches is in KEYS. It returns {0} if the update
// was seen, {-1} if the session's version or its preferences' version changed, {-2} if a
// case's did, else {1, preferences' version now, claim…} with one claim per recipient it
// could claim: {recipient, parts sent of the head, older items, kept card messages}.
var commitScript = redis.NewScript(`
local p = cjson.decode(ARGV[1])
local function changed(k) -- a preferences hash was written: raise its version, or drop it when nothing else is left
  if redis.call('HLEN', k) <= 1 and redis.call('HEXISTS', k, 'pv') == 1 then redis.call('DEL', k)
  elseif redis.call('EXISTS', k) == 1 then redis.call('HINCRBY', k, 'pv', 1) end
end
local cur = redis.call('GET', KEYS[p.s])
local v, mark, markAt = 0, nil, nil -- see seen.go
if cur then
  v = tonumber(string.match(cur, '^(%d+)')) or 0
  local m, at = string.match(cur, '^%d+/(%d+)/(%d+):')
  if m and tonumber(p.nows) - tonumber(at) <= tonumber(p.seenttl) then mark, markAt = m, at end
end
if p.n ~= '' and mark then
  if tonumber(p.n) <= tonumber(mark) then return {0} end
elseif redis.call('ZSCORE', KEYS[p.seen], p.u) then return {0} end
if v ~= tonumber(p.v) then return {-1} end
if tonumber(p.pv) >= 0 and tonumber(redis.call('HGET', KEYS[p.p], 'pv') or '0') ~= tonumber(p.pv) then return {-1} end
for _, c in ipairs(p.cases) do
  if tonumber(redis.call('HGET', KEYS[c.k], 'v') or '0') ~= tonumber(c.e) then return {-2} end
end
for _, k in ipairs(p.del) do redis.call('DEL', KEYS[k]) end
for _, l in ipairs(p.lrem) do redis.call('LREM', KEYS[l.k], 0, ARGV[l.d]) end
local head = tostring(v + 1)
if p.n ~= '' then head = head .. '/' .. p.n .. '/' .. p.nows
elseif mark then head = head .. '/' .. mark .. '/' .. markAt end
redis.call('SET', KEYS[p.s], head .. ':' .. ARGV[p.sd], 'PX', p.sttl)
if p.setlang then
  if p.lang == '' then redis.call('HDEL', KEYS[p.p], 'lang') else redis.call('HSET', KEYS[p.p], 'lang', p.lang) end
  changed(KEYS[p.p])
end
redis.call('PEXPIRE', KEYS[p.p], p.sttl)
if p.n == '' then
  redis.call('ZADD', KEYS[p.seen], p.nows, p.u)
  redis.call('ZREMRANGEBYSCORE', KEYS[p.seen], '-inf', p.old)
  redis.call('EXPIRE', KEYS[p.seen], p.seenttl)
end
for _, c in ipairs(p.cases) do redis.call('HSET', KEYS[c.k], 'v', tonumber(c.e) + 1, 'd', ARGV[c.d]) end
for _, r in ipairs(p.sets) do
  if r.x == '' or redis.call('EXISTS', KEYS[r.k]) == 1 then
    redis.call('HSET', KEYS[r.k], 'd', ARGV[r.d])
    if r.ttl ~= '0' then redis.call('PEXPIRE', KEYS[r.k], r.ttl) end
  end
end
for _, z in ipairs(p.zadd) do redis.call('ZADD', KEYS[z.k], z.s, z.m) end
for _, z in ipairs(p.zrem) do redis.call('ZREM', KEYS[z.k], z.m) end
for _, z in ipairs(p.sadd) do
  redis.call('SADD', KEYS[z.k], z.m)
  if z.s ~= '' then redis.call('PEXPIRE', KEYS[z.k], z.s) end
end
for _, z in ipairs(p.zincr) do redis.call('ZINCRBY', KEYS[z.k], 1, z.m) end
for _, l in ipairs(p.push) do
  if l.keep ~= '' then
    redis.call('LPUSH', KEYS[l.k], ARGV[l.d])
    redis.call('LTRIM', KEYS[l.k], 0, tonumber(l.keep) - 1)
  else
    redis.call('RPUSH', KEYS[l.k], ARGV[l.d])
  end
end
for _, f in ipairs(p.flags) do
  local tagf = f.f .. '#'
  if f.val ~= '' then
    redis.call('HSET', KEYS[f.k], f.f, f.val, tagf, f.tag)
  else
    local clear = f.c == ''
    local held = redis.call('HGET', KEYS[f.k], tagf)
    for _, t in ipairs(f.ifs) do if held == t then clear = true end end
    if clear then redis.call('HDEL', KEYS[f.k], f.f, tagf) end
  end
  changed(KEYS[f.k])
  redis.call('PEXPIRE', KEYS[f.k], p.sttl)
end
if p.fired ~= '' and redis.call('HGET', KEYS[p.ja], p.fired) == p.fdue then
  redis.call('HDEL', KEYS[p.jr], p.fired)
  redis.call('HDEL', KEYS[p.ja], p.fired)
  redis.call('ZREM', KEYS[p.jz], p.fired)
end
for _, id in ipairs(p.cancel) do
  redis.call('HDEL', KEYS[p.jr], id)
  redis.call('HDEL', KEYS[p.ja], id)
  redis.call('ZREM', KEYS[p.jz], id)
end
for _, j in ipairs(p.sched) do
  redis.call('HSET', KEYS[p.jr], j.id, ARGV[j.d])
  redis.call('HSET', KEYS[p.ja], j.id, j.due)
  redis.call('ZADD', KEYS[p.jz], j.due, j.id)
end
local out = {1, tonumber(redis.call('HGET', KEYS[p.p], 'pv') or '0')}
for _, q in ipairs(p.out) do
  local before = redis.call('LLEN', KEYS[q.q])
  for _, d in ipairs(q.d) do redis.call('RPUSH', KEYS[q.q], ARGV[d]) end
  if q.ttl ~= '0' then redis.call('PEXPIRE', KEYS[q.q], q.ttl) end
  if redis.call('SET', KEYS[q.l], p.token, 'NX', 'PX', p.lms) then
    redis.call('ZADD', KEYS[p.ready], p.due, q.r)
    local older = {}
    if before > 0 then older = redis.call('LRANGE', KEYS[q.q], 0, before - 1) end
    local cards = {}
    for i, h in ipairs(q.cards) do cards[i] = redis.call('HGET', KEYS[p.cards], h) or '' end
    table.insert(out, {q.r, redis.call('GET', KEYS[q.parts]) or '0', older, cards})
  elseif not redis.call('ZSCORE', KEYS[p.ready], q.r) then
    redis.call('ZADD', KEYS[p.ready], p.due, q.r)
  end
end
return out
`)

// keepUnanswered is how many unanswered questions /kbstats keeps.
const keepUnanswered = 50

// Commit stores fx for the session key at version, marks updateID committed and queues
// the deliveries, all in one script; see dialogs.Store.
func (db *DB) Commit(ctx context.Context, k dialogs.SessionKey, updateID string, version int64, fx dialogs.Effects) ([]dialogs.Batch, error) {
	now := db.opt.Now()
	pl := &planner{idx: map[string]int{}, argv: []any{""}}
	skey := db.keys.session(k.Chat, k.User)
	var plain []byte
	sd := ""
	if !fx.Session.Empty() {
		var err error
		if plain, err = json.Marshal(fx.Session); err != nil {
			return nil, fmt.Errorf("encode %s: %w", db.codec.name(skey), err)
		}
		sd = db.codec.sealCompact(skey, plain)
	}
	loaded, known := db.cache.peek(k)
	pv := int64(-1) // unknown (the entry was evicted since Load): not checked
	if known && loaded.version == version {
		pv = loaded.prefsVersion
	}
	p := commitPlan{
		U: updateID, S: pl.key(skey), P: pl.key(db.keys.prefs(k.User)), Seen: pl.key(db.keys.seen(k.Chat, k.User)),
		Ready: pl.key(db.keys.ready()), Cards: pl.key(db.keys.cards()),
		N: db.markable(updateID), V: version, PV: pv, SD: pl.blob(sd), STTL: db.opt.SessionTTL.Milliseconds(), Lang: fx.Session.Lang, SetLang: fx.LangChanged,
		NowS: now.Unix(), Old: now.Add(-seenWindow).Unix(), SeenTTL: int64(seenWindow / time.Second),
		Token: token(), LeaseMS: db.opt.Lease.Milliseconds(), Due: now.Add(db.opt.Lease).UnixMilli(),
		Cases: []planCase{}, Del: []int{}, LRem: []planPush{}, ZAdd: []planZ{}, ZRem: []planZ{}, SAdd: []planZ{}, ZIncr: []planZ{},
		Push: []planPush{}, Sets: []planSet{}, Flags: []planFlag{}, Out: []planQueue{},
		Cancel: []string{}, Sched: []planJob{},
	}
	if fx.Forget != nil {
		if err := db.planForget(ctx, pl, &p, *fx.Forget); err != nil {
			return nil, err
		}
	}
	for _, w := range fx.Cases {
		if err := db.planCase(pl, &p, w); err != nil {
			return nil, err
		}
	}
	for _, r := range fx.KB {
		if err := db.planKB(pl, &p, k.Chat, r); err != nil {
			return nil, err
		}
	}
	for _, a := range fx.Audit {
		if err := db.planAudit(pl, &p, a); err != nil {
			return nil, err
		}
	}
	for _, q := range fx.Questions {
		if err := db.planQuestion(pl, &p, q); err != nil {
			return nil, err
		}
	}
	for _, f := range fx.Flags {
		if err := db.planFlag(pl, &p, f); err != nil {
			return nil, err
		}
	}
	if err := db.planOut(pl, &p, fx.Deliveries); err != nil {
		return nil, err
	}
	if err := db.planJobs(pl, &p, fx); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	pl.argv[0] = string(raw)
	res, err := db.commit(ctx, pl)
	if err != nil {
		db.cache.drop(k)
		return nil, err
	}
	switch code, _ := res[0].(int64); code {
	case 0:
		db.cache.drop(k)
		return nil, dialogs.ErrDuplicate
	case -1, -2:
		db.cache.drop(k)
		return nil, dialogs.ErrConflict
	}
	db.remember(k, version, pv, plain, fx, res[1])
	return db.claimed(ctx, p, res[2:])
}

// remember caches the session as just committed. Its flags are the ones loaded, unless
// the commit wrote some of its own preferences' (then it is loaded again next time), or
// unless they were not checked. The cached sessions of other chats whose preferences it
// wrote are dropped: their check would fail.
func (db *DB) remember(k dialogs.SessionKey, version, pv int64, plain []byte, fx dialogs.Effects, newPV any) {
	loaded, _ := db.cache.peek(k)
	lang := loaded.lang
	if fx.LangChanged {
		lang = fx.Session.Lang
		db.cache.drop(dialogs.SessionKey{Chat: k.User, User: k.User})
	}
	own := fx.Forget != nil || pv < 0
	for _, f := range fx.Flags {
		own = own || f.Chat == k.User
		db.cache.drop(dialogs.SessionKey{Chat: f.Chat, User: f.Chat})
	}
	n, ok := newPV.(int64)
	if own || !ok {
		db.cache.drop(k)
		return
	}
	db.cache.put(cached{key: k, version: version + 1, prefsVersion: n, json: plain,
		lang: lang, awaiting: loaded.awaiting, formStart: loaded.formStart, at: db.opt.Now()})
}

// planCase writes a case record and its indexes: for a new case the register and its
// chat's (under the chat's keyed hash); the keyed hashes of its names and phones for
// /find (stale members are filtered out when read); the closed cases awaiting erasure.
func (db *DB) planCase(pl *planner, p *commitPlan, w dialogs.CaseWrite) error {
	c := w.Case
	key := db.keys.caseRec(c.Number)
	d, err := db.codec.encode(key, c)
	if err != nil {
		return err
	}
	p.Cases = append(p.Cases, planCase{K: pl.key(key), E: w.Expect, D: pl.blob(d)})
	if c.Erased.IsZero() {
		for _, t := range dialogs.SearchTerms(c) {
			p.SAdd = append(p.SAdd, planZ{K: pl.key(db.keys.find(db.opt.Keys.hash(hashFind, t))), M: c.Number})
		}
	}
	if !c.Closed.IsZero() && c.Erased.IsZero() {
		p.ZAdd = append(p.ZAdd, planZ{K: pl.key(db.keys.closed()), S: strconv.FormatInt(c.Closed.Unix(), 10), M: c.Number})
	} else {
		p.ZRem = append(p.ZRem, planZ{K: pl.key(db.keys.closed()), M: c.Number})
	}
	if w.Expect == 0 {
		ts := strconv.FormatInt(c.Submitted.Unix(), 10)
		p.ZAdd = append(p.ZAdd, planZ{K: pl.key(db.keys.allCases()), S: ts, M: c.Number})
		if c.ChatID != 0 {
			p.ZAdd = append(p.ZAdd, planZ{K: pl.key(db.keys.byChat(db.chatHashes(c.ChatID)[0])), S: ts, M: c.Number})
		}
	}
	return nil
}

// planKB counts a knowledge-base event; an unanswered question is kept (encrypted, with
// the chat that asked it, so that /forget finds it) among the latest keepUnanswered.
func (db *DB) planKB(pl *planner, p *commitPlan, chat int64, r dialogs.KBRecord) error {
	if r.Event.Kind != dialogs.EventUnanswered {
		p.ZIncr = append(p.ZIncr, planZ{K: pl.key(db.keys.kbCount(r.Event.Kind)), M: r.Event.EntryID})
		return nil
	}
	key := db.keys.kbUnanswered()
	d, err := db.codec.encode(key, unansweredRecord{KBEvent: r.Event, Chat: chat})
	if err != nil {
		return err
	}
	p.Push = append(p.Push, planPush{K: pl.key(key), D: pl.blob(d), Keep: strconv.Itoa(keepUnanswered)})
	return nil
}

func (db *DB) planAudit(pl *planner, p *commitPlan, a dialogs.AuditEntry) error {
	lists := []string{db.keys.audit()}
	if a.Case != "" {
		lists = append(lists, db.keys.caseAudit(a.Case))
	}
	for _, key := range lists {
		d, err := db.codec.encode(key, a)
		if err != nil {
			return err
		}
		p.Push = append(p.Push, planPush{K: pl.key(key), D: pl.blob(d)})
	}
	return nil
}

// planOut groups the deliveries by recipient, in order.
func (db *DB) planOut(pl *planner, p *commitPlan, ds []dialogs.Delivery) error {
	byName := map[string]int{}
	for _, d := range ds {
		name := d.To.String()
		i, ok := byName[name]
		if !ok {
			i = len(p.Out)
			byName[name] = i
			p.Out = append(p.Out, planQueue{R: name, to: d.To, Q: pl.key(db.keys.queue(name)),
				L: pl.key(db.keys.lease(name)), Parts: pl.key(db.keys.parts(name)), D: []int{}, Cards: []string{},
				TTL: db.queueTTL(d.To)})
		}
		raw, err := db.codec.encode(db.keys.queue(name), d)
		if err != nil {
			return err
		}
		q := &p.Out[i]
		q.D = append(q.D, pl.blob(raw))
		q.Cards = append(q.Cards, d.Card)
		q.items = append(q.items, dialogs.Pending{Delivery: d, Raw: raw})
	}
	return nil
}

// claimed turns the script's claims into batches: the recipient's older waiting
// deliveries first, then the ones just committed.
func (db *DB) claimed(ctx context.Context, p commitPlan, claims []any) ([]dialogs.Batch, error) {
	var out []dialogs.Batch
	for _, c := range claims {
		f, ok := c.([]any)
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("commit: unexpected reply %v", c)
		}
		name, _ := f[0].(string)
		var q *planQueue
		for i := range p.Out {
			if p.Out[i].R == name {
				q = &p.Out[i]
			}
		}
		if q == nil {
			return nil, fmt.Errorf("commit: claim of unknown recipient %q", name)
		}
		older, err := db.decodeItems(name, f[2], f[1])
		if err != nil {
			return nil, err
		}
		if err := db.fillCards(ctx, older); err != nil {
			return nil, err
		}
		items := append(older, q.items...)
		kept, _ := f[3].([]any)
		for i := range q.items {
			if s, ok := kept[i].(string); ok {
				items[len(older)+i].CardMsg = s
			}
		}
		out = append(out, dialogs.Batch{To: q.to, Lease: p.Token, Items: items})
	}
	return out, nil
}

// commit runs the commit script with the waiting acknowledgements in the same pipeline;
// when the server lost the script (a restart), it is sent again in full.
func (db *DB) commit(ctx context.Context, pl *planner) ([]any, error) {
	pipe := db.rdb.Pipeline()
	cmd := commitScript.EvalSha(ctx, pipe, pl.keys, pl.argv...)
	settle := ride(ctx, pipe, db.acks.take())
	_, _ = pipe.Exec(ctx)
	settle()
	res, err := cmd.Slice()
	if isNoScript(err) {
		return commitScript.Run(ctx, db.rdb, pl.keys, pl.argv...).Slice()
	}
	return res, err
}

// firstErr is the first failure of a pipeline's commands that matter, redis.Nil (a missing
// key or member) not being one.
func firstErr(exec error, cmds ...redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	if exec != nil && !errors.Is(exec, redis.Nil) && !isNoScript(exec) {
		return exec
	}
	return nil
}
