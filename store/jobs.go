package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// The schedule of timed jobs: jobs:rec maps a job id to the job (a record like any other,
// encrypted with a keyring), jobs:at to its due time in unix milliseconds (plain, for the
// scripts to compare), and jobs is a sorted set of the ids scored by when a scheduler may
// take the job: its due time, or the end of the claim of the scheduler that took it. Jobs are added, replaced and removed by commits
// (Effects.Schedule, Cancel, Fired), atomically with the change that caused them; a
// scheduler only claims and releases them. A job fired twice has one effect because its
// firing commits under Job.UpdateID with the seen mark.

// DefaultJobLease is how long a scheduler's claim on a due job lasts: after a crash,
// another scheduler fires the job once it expires.
const DefaultJobLease = 30 * time.Second

// storedJob is a job as stored.
type storedJob struct {
	ID   string `json:"id"`
	Kind string `json:"k"`
	Case string `json:"c,omitempty"`
	Chat int64  `json:"ch,omitempty,string"`
	N    int    `json:"n,omitempty"`
	Due  string `json:"due"`
}

func (db *DB) encodeJob(j dialogs.Job) (string, error) {
	return db.codec.encode(db.keys.jobsRec()+"#"+j.ID, storedJob{ID: j.ID, Kind: string(j.Kind), Case: j.Case, Chat: j.Chat, N: j.N, Due: dueString(j.Due)})
}

func (db *DB) decodeJob(id, raw string) (dialogs.Job, error) {
	var s storedJob
	if err := db.codec.decode(db.keys.jobsRec()+"#"+id, raw, &s); err != nil {
		return dialogs.Job{}, err
	}
	ms, err := strconv.ParseInt(s.Due, 10, 64)
	if err != nil {
		return dialogs.Job{}, err
	}
	return dialogs.Job{ID: s.ID, Kind: dialogs.JobKind(s.Kind), Case: s.Case, Chat: s.Chat, N: s.N, Due: time.UnixMilli(ms).UTC()}, nil
}

func dueString(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// planJobs adds the job changes of fx to the commit plan.
func (db *DB) planJobs(pl *planner, p *commitPlan, fx dialogs.Effects) error {
	if fx.Fired == nil && len(fx.Cancel) == 0 && len(fx.Schedule) == 0 {
		return nil
	}
	p.JZ, p.JR, p.JA = pl.key(db.keys.jobsDue()), pl.key(db.keys.jobsRec()), pl.key(db.keys.jobsAt())
	if fx.Fired != nil {
		p.Fired, p.FDue = fx.Fired.ID, dueString(fx.Fired.Due)
	}
	p.Cancel = append(p.Cancel, fx.Cancel...)
	for _, j := range fx.Schedule {
		d, err := db.encodeJob(j)
		if err != nil {
			return err
		}
		p.Sched = append(p.Sched, planJob{ID: j.ID, D: pl.blob(d), Due: dueString(j.Due)})
	}
	return nil
}

// claimJobsScript takes up to ARGV[3] due jobs. KEYS: jobs, jobs:rec. ARGV: now ms, claim
// end ms, max. Returns {records, next score or ”}.
var claimJobsScript = redis.NewScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local rec = redis.call('HGET', KEYS[2], id)
  if rec then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(out, id)
    table.insert(out, rec)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
local nx = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {out, nx[2] or ''}
`)

// ClaimJobs takes up to max jobs that are due and no scheduler holds, for the job lease.
// next is when the earliest other job may be taken (zero if none).
func (db *DB) ClaimJobs(ctx context.Context, max int) (jobs []dialogs.Job, next time.Time, err error) {
	now := db.opt.Now()
	res, err := claimJobsScript.Run(ctx, db.rdb, []string{db.keys.jobsDue(), db.keys.jobsRec()},
		now.UnixMilli(), now.Add(db.opt.JobLease).UnixMilli(), max).Slice()
	if err != nil {
		return nil, time.Time{}, err
	}
	recs, _ := res[0].([]any)
	for i := 0; i+1 < len(recs); i += 2 {
		id, _ := recs[i].(string)
		s, _ := recs[i+1].(string)
		j, err := db.decodeJob(id, s)
		if err != nil {
			return nil, time.Time{}, err
		}
		jobs = append(jobs, j)
	}
	if s, _ := res[1].(string); s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			next = time.UnixMilli(int64(f))
		}
	}
	return jobs, next, nil
}

// releaseJobScript makes a claimed job takeable again at ARGV[3], unless it was replaced
// or removed meanwhile. KEYS: jobs, jobs:at. ARGV: id, due, at ms.
var releaseJobScript = redis.NewScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`)

// ReleaseJob gives a claimed job back, to be taken again at at.
func (db *DB) ReleaseJob(ctx context.Context, j dialogs.Job, at time.Time) error {
	return releaseJobScript.Run(ctx, db.rdb, []string{db.keys.jobsDue(), db.keys.jobsAt()}, j.ID, dueString(j.Due), at.UnixMilli()).Err()
}

// ensureJobScript schedules a job unless one with its id is pending. KEYS: jobs,
// jobs:rec, jobs:at. ARGV: id, record, due ms.
var ensureJobScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
`)

// EnsureJob schedules j unless a job with its id is pending (a recurring job starts
// its chain once, whichever process starts first). It reports whether it scheduled it.
func (db *DB) EnsureJob(ctx context.Context, j dialogs.Job) (bool, error) {
	d, err := db.encodeJob(j)
	if err != nil {
		return false, err
	}
	n, err := ensureJobScript.Run(ctx, db.rdb, []string{db.keys.jobsDue(), db.keys.jobsRec(), db.keys.jobsAt()}, j.ID, d, dueString(j.Due)).Int()
	return n == 1, err
}

// PendingJobs returns every pending job, by due time.
func (db *DB) PendingJobs(ctx context.Context) ([]dialogs.Job, error) {
	ids, err := db.rdb.ZRange(ctx, db.keys.jobsDue(), 0, -1).Result()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	vals, err := db.rdb.HMGet(ctx, db.keys.jobsRec(), ids...).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var out []dialogs.Job
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue
		}
		j, err := db.decodeJob(ids[i], s)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	sortJobs(out)
	return out, nil
}

func sortJobs(js []dialogs.Job) {
	slices.SortFunc(js, func(a, b dialogs.Job) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// rekeyJobs re-encrypts the job records under the current data key (Rekey), each only if
// it is still the one read.
func (db *DB) rekeyJobs(ctx context.Context, st *rekeyRun) error {
	key := db.keys.jobsRec()
	recs, err := db.rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return err
	}
	for id, stored := range recs {
		nv, changed, err := db.codec.reencode(key+"#"+id, stored)
		switch {
		case err != nil:
			st.Failed++
			continue
		case !changed:
			st.Current++
			continue
		}
		st.read(key)
		ok, err := db.casHash(ctx, key, id, stored, nv, "", nil)
		if err != nil {
			return err
		}
		if ok {
			st.count(true)
		} else {
			st.Busy++
		}
	}
	return nil
}
