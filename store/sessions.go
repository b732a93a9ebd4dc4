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

// seenWindow is how long handled update ids are remembered. Telegram keeps unconfirmed
// updates for 24 hours, so a redelivery always falls inside it.
const seenWindow = 48 * time.Hour

// Load returns the session of key with its version and the chat's preferences and flags,
// and whether updateID was committed for it within the last 48 hours: one round trip.
func (db *DB) Load(ctx context.Context, k dialogs.SessionKey, updateID string) (dialogs.Loaded, error) {
	skey := db.keys.session(k.Chat, k.User)
	pipe := db.rdb.Pipeline()
	sess := pipe.HMGet(ctx, skey, "v", "d")
	prefs := pipe.HGetAll(ctx, db.keys.prefs(k.User))
	seen := pipe.ZScore(ctx, db.keys.seen(k.Chat, k.User), updateID)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return dialogs.Loaded{}, err
	}
	var l dialogs.Loaded
	vals := sess.Val()
	if v, ok := vals[0].(string); ok {
		l.Version, _ = strconv.ParseInt(v, 10, 64)
	}
	if d, ok := vals[1].(string); ok && d != "" {
		if err := db.codec.decode(skey, d, &l.Session); err != nil {
			return dialogs.Loaded{}, err
		}
	}
	p := prefs.Val()
	l.Session.Lang = p["lang"]
	l.Session.Awaiting = p[dialogs.FlagAwaiting]
	l.Session.FormStart = p[dialogs.FlagForm]
	l.Seen = seen.Err() == nil
	return l, nil
}

// commitScript stores the effects of one update; ARGV[1] is a plan (see commitPlan), every
// key it touches is in KEYS. It returns {0} if the update was seen, {-1} if the session's
// version changed, {-2} if a case's did, else {1, claim…} with one claim per recipient it
// could claim: {recipient, parts sent of the head, older items, kept card messages}.
var commitScript = redis.NewScript(`
local p = cjson.decode(ARGV[1])
if redis.call('ZSCORE', KEYS[p.seen], p.u) then return {0} end
local v = tonumber(redis.call('HGET', KEYS[p.s], 'v') or '0')
if v ~= tonumber(p.v) then return {-1} end
for _, c in ipairs(p.cases) do
  if tonumber(redis.call('HGET', KEYS[c.k], 'v') or '0') ~= tonumber(c.e) then return {-2} end
end
redis.call('HSET', KEYS[p.s], 'v', v + 1, 'd', p.sd)
redis.call('PEXPIRE', KEYS[p.s], p.sttl)
if p.lang == '' then redis.call('HDEL', KEYS[p.p], 'lang') else redis.call('HSET', KEYS[p.p], 'lang', p.lang) end
redis.call('ZADD', KEYS[p.seen], p.nows, p.u)
redis.call('ZREMRANGEBYSCORE', KEYS[p.seen], '-inf', p.old)
redis.call('EXPIRE', KEYS[p.seen], p.seenttl)
for _, c in ipairs(p.cases) do redis.call('HSET', KEYS[c.k], 'v', tonumber(c.e) + 1, 'd', c.d) end
for _, r in ipairs(p.sets) do redis.call('HSET', KEYS[r.k], 'd', r.d) end
for _, z in ipairs(p.zadd) do redis.call('ZADD', KEYS[z.k], z.s, z.m) end
for _, z in ipairs(p.zincr) do redis.call('ZINCRBY', KEYS[z.k], 1, z.m) end
for _, l in ipairs(p.push) do
  if l.keep ~= '' then
    redis.call('LPUSH', KEYS[l.k], l.d)
    redis.call('LTRIM', KEYS[l.k], 0, tonumber(l.keep) - 1)
  else
    redis.call('RPUSH', KEYS[l.k], l.d)
  end
end
for _, f in ipairs(p.flags) do
  if f.val ~= '' then
    redis.call('HSET', KEYS[f.k], f.f, f.val)
  elseif f['if'] == '' or redis.call('HGET', KEYS[f.k], f.f) == f['if'] then
    redis.call('HDEL', KEYS[f.k], f.f)
  end
end
if p.fired ~= '' then
  local rec = redis.call('HGET', KEYS[p.jr], p.fired)
  if rec and cjson.decode(string.sub(rec, 2)).due == p.fdue then
    redis.call('HDEL', KEYS[p.jr], p.fired)
    redis.call('ZREM', KEYS[p.jz], p.fired)
  end
end
for _, id in ipairs(p.cancel) do
  redis.call('HDEL', KEYS[p.jr], id)
  redis.call('ZREM', KEYS[p.jz], id)
end
for _, j in ipairs(p.sched) do
  redis.call('HSET', KEYS[p.jr], j.id, j.d)
  redis.call('ZADD', KEYS[p.jz], j.due, j.id)
end
local out = {1}
for _, q in ipairs(p.out) do
  local before = redis.call('LLEN', KEYS[q.q])
  for _, d in ipairs(q.d) do redis.call('RPUSH', KEYS[q.q], d) end
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

// commitPlan is the JSON plan of commitScript. Key fields are 1-based indexes into KEYS;
// numbers that may exceed what Lua's doubles print exactly travel as strings.
type commitPlan struct {
	U       string      `json:"u"`
	S       int         `json:"s"`
	P       int         `json:"p"`
	Seen    int         `json:"seen"`
	Ready   int         `json:"ready"`
	Cards   int         `json:"cards"`
	V       int64       `json:"v,string"`
	SD      string      `json:"sd"`
	STTL    int64       `json:"sttl,string"`
	Lang    string      `json:"lang"`
	NowS    int64       `json:"nows,string"`
	Old     int64       `json:"old,string"`
	SeenTTL int64       `json:"seenttl,string"`
	Token   string      `json:"token"`
	LeaseMS int64       `json:"lms,string"`
	Due     int64       `json:"due,string"` // when the claims expire, unix ms
	Cases   []planCase  `json:"cases"`
	ZAdd    []planZ     `json:"zadd"`
	ZIncr   []planZ     `json:"zincr"`
	Push    []planPush  `json:"push"`
	Sets    []planSet   `json:"sets"`
	Flags   []planFlag  `json:"flags"`
	Out     []planQueue `json:"out"`
	JZ      int         `json:"jz"` // the job schedule, when jobs change
	JR      int         `json:"jr"`
	Fired   string      `json:"fired"`
	FDue    string      `json:"fdue"`
	Cancel  []string    `json:"cancel"`
	Sched   []planJob   `json:"sched"`
}

// planJob schedules job D (its stored form) at Due (unix ms).
type planJob struct {
	ID  string `json:"id"`
	D   string `json:"d"`
	Due string `json:"due"`
}

type planCase struct {
	K int    `json:"k"`
	E int64  `json:"e,string"`
	D string `json:"d"`
}

type planZ struct {
	K int    `json:"k"`
	S string `json:"s"`
	M string `json:"m"`
}

// planSet stores a record D at K (field d), without a version check.
type planSet struct {
	K int    `json:"k"`
	D string `json:"d"`
}

// planPush appends D to list K; with Keep, it pushes at the head and keeps Keep items.
type planPush struct {
	K    int    `json:"k"`
	D    string `json:"d"`
	Keep string `json:"keep"`
}

type planFlag struct {
	K   int    `json:"k"`
	F   string `json:"f"`
	Val string `json:"val"`
	If  string `json:"if"`
}

type planQueue struct {
	R     string   `json:"r"` // the recipient's name
	Q     int      `json:"q"`
	L     int      `json:"l"`
	Parts int      `json:"parts"`
	D     []string `json:"d"`
	Cards []string `json:"cards"` // the card names of D, "" for none
	items []dialogs.Pending
	to    dialogs.Recipient
}

// planner collects the keys of a plan.
type planner struct {
	keys []string
	idx  map[string]int
}

func (p *planner) key(k string) int {
	if i, ok := p.idx[k]; ok {
		return i
	}
	p.keys = append(p.keys, k)
	p.idx[k] = len(p.keys)
	return len(p.keys)
}

// keepUnanswered is how many unanswered questions /kbstats keeps.
const keepUnanswered = 50

// Commit stores fx for the session key at version, marks updateID committed and queues
// the deliveries, all in one script; see dialogs.Store.
func (db *DB) Commit(ctx context.Context, k dialogs.SessionKey, updateID string, version int64, fx dialogs.Effects) ([]dialogs.Batch, error) {
	now := db.opt.Now()
	pl := &planner{idx: map[string]int{}}
	skey := db.keys.session(k.Chat, k.User)
	sd := ""
	if !fx.Session.Empty() {
		var err error
		if sd, err = db.codec.encode(skey, fx.Session); err != nil {
			return nil, err
		}
	}
	p := commitPlan{
		U: updateID, S: pl.key(skey), P: pl.key(db.keys.prefs(k.User)), Seen: pl.key(db.keys.seen(k.Chat, k.User)),
		Ready: pl.key(db.keys.ready()), Cards: pl.key(db.keys.cards()),
		V: version, SD: sd, STTL: db.opt.SessionTTL.Milliseconds(), Lang: fx.Session.Lang,
		NowS: now.Unix(), Old: now.Add(-seenWindow).Unix(), SeenTTL: int64(seenWindow / time.Second),
		Token: token(), LeaseMS: db.opt.Lease.Milliseconds(), Due: now.Add(db.opt.Lease).UnixMilli(),
		Cases: []planCase{}, ZAdd: []planZ{}, ZIncr: []planZ{}, Push: []planPush{}, Sets: []planSet{}, Flags: []planFlag{}, Out: []planQueue{},
		Cancel: []string{}, Sched: []planJob{},
	}
	for _, w := range fx.Cases {
		if err := db.planCase(pl, &p, w); err != nil {
			return nil, err
		}
	}
	for _, r := range fx.KB {
		if err := db.planKB(pl, &p, r); err != nil {
			return nil, err
		}
	}
	for _, a := range fx.Audit {
		if err := db.planAudit(pl, &p, a); err != nil {
			return nil, err
		}
	}
	for _, q := range fx.Questions {
		key := db.keys.question(q.ID)
		d, err := db.codec.encode(key, q)
		if err != nil {
			return nil, err
		}
		p.Sets = append(p.Sets, planSet{K: pl.key(key), D: d})
	}
	for _, f := range fx.Flags {
		p.Flags = append(p.Flags, planFlag{K: pl.key(db.keys.prefs(f.Chat)), F: f.Name, Val: f.Value, If: f.IfValue})
	}
	if err := db.planOut(pl, &p, fx.Deliveries); err != nil {
		return nil, err
	}
	if err := db.planJobs(pl, &p, fx); err != nil {
		return nil, err
	}
	raw, err := jsonString(p)
	if err != nil {
		return nil, err
	}
	res, err := commitScript.Run(ctx, db.rdb, pl.keys, raw).Slice()
	if err != nil {
		return nil, err
	}
	switch code, _ := res[0].(int64); code {
	case 0:
		return nil, dialogs.ErrDuplicate
	case -1, -2:
		return nil, dialogs.ErrConflict
	}
	return db.claimed(ctx, p, res[1:])
}

// planCase writes a case record and, for a new case, its indexes.
func (db *DB) planCase(pl *planner, p *commitPlan, w dialogs.CaseWrite) error {
	key := db.keys.caseRec(w.Case.Number)
	d, err := db.codec.encode(key, w.Case)
	if err != nil {
		return err
	}
	p.Cases = append(p.Cases, planCase{K: pl.key(key), E: w.Expect, D: d})
	if w.Expect == 0 {
		ts := strconv.FormatInt(w.Case.Submitted.Unix(), 10)
		p.ZAdd = append(p.ZAdd, planZ{K: pl.key(db.keys.allCases()), S: ts, M: w.Case.Number})
		if w.Case.ChatID != 0 {
			p.ZAdd = append(p.ZAdd, planZ{K: pl.key(db.keys.byChat(w.Case.ChatID)), S: ts, M: w.Case.Number})
		}
	}
	return nil
}

func (db *DB) planKB(pl *planner, p *commitPlan, r dialogs.KBRecord) error {
	if r.Event.Kind != dialogs.EventUnanswered {
		p.ZIncr = append(p.ZIncr, planZ{K: pl.key(db.keys.kbCount(r.Event.Kind)), M: r.Event.EntryID})
		return nil
	}
	key := db.keys.kbUnanswered()
	d, err := db.codec.encode(key, r.Event)
	if err != nil {
		return err
	}
	p.Push = append(p.Push, planPush{K: pl.key(key), D: d, Keep: strconv.Itoa(keepUnanswered)})
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
		p.Push = append(p.Push, planPush{K: pl.key(key), D: d})
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
				L: pl.key(db.keys.lease(name)), Parts: pl.key(db.keys.parts(name)), D: []string{}, Cards: []string{}})
		}
		raw, err := db.codec.encode(db.keys.queue(name), d)
		if err != nil {
			return err
		}
		q := &p.Out[i]
		q.D = append(q.D, raw)
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

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
