package store

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// eventWindow is how long an event id is remembered to keep records idempotent.
const eventWindow = 48 * time.Hour

// keepUnanswered is how many unanswered questions /kbstats keeps.
const keepUnanswered = 50

// KBLog records knowledge-base statistics and staff hand-offs in Redis.
type KBLog struct {
	rdb  redis.UniversalClient
	keys keys
}

var _ dialogs.KBLog = (*KBLog)(nil)

// NewKBLog returns the log, its keys under prefix.
func NewKBLog(rdb redis.UniversalClient, prefix string) *KBLog {
	return &KBLog{rdb: rdb, keys: keys{prefix}}
}

// recordScript applies an event once. KEYS: event marker, counter or list. ARGV: window
// seconds, "z" (count member ARGV[3]) or "l" (push ARGV[3], keep ARGV[4]).
var recordScript = redis.NewScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
if ARGV[2] == 'z' then
  redis.call('ZINCRBY', KEYS[2], 1, ARGV[3])
else
  redis.call('LPUSH', KEYS[2], ARGV[3])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
end
return 1
`)

// Record counts an event once per eventID.
func (l *KBLog) Record(ctx context.Context, eventID string, ev dialogs.KBEvent) error {
	window := strconv.Itoa(int(eventWindow / time.Second))
	marker := l.keys.kbEvent(eventID)
	if ev.Kind == dialogs.EventUnanswered {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return recordScript.Run(ctx, l.rdb, []string{marker, l.keys.kbUnanswered()}, window, "l", b, keepUnanswered).Err()
	}
	return recordScript.Run(ctx, l.rdb, []string{marker, l.keys.kbCount(ev.Kind)}, window, "z", ev.EntryID).Err()
}

// handoffScript queues a question for staff once. KEYS: marker, notices. ARGV: notice.
var handoffScript = redis.NewScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 172800) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
`)

// HandOff queues the question as a staff notice, once per eventID.
func (l *KBLog) HandOff(ctx context.Context, eventID string, q dialogs.Question) error {
	b, err := json.Marshal(Notice{Kind: NoticeQuestion, At: q.At, Question: &q})
	if err != nil {
		return err
	}
	return handoffScript.Run(ctx, l.rdb, []string{l.keys.handoff(eventID), l.keys.notices()}, b).Err()
}

// Stats returns the ten most given and most unhelpful entries and the latest unanswered
// questions.
func (l *KBLog) Stats(ctx context.Context) (dialogs.KBStats, error) {
	var st dialogs.KBStats
	pipe := l.rdb.Pipeline()
	asked := pipe.ZRevRangeWithScores(ctx, l.keys.kbCount(dialogs.EventAsked), 0, 9)
	bad := pipe.ZRevRangeWithScores(ctx, l.keys.kbCount(dialogs.EventUnhelpful), 0, 9)
	un := pipe.LRange(ctx, l.keys.kbUnanswered(), 0, 9)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return st, err
	}
	counts := func(zs []redis.Z) []dialogs.Count {
		out := make([]dialogs.Count, 0, len(zs))
		for _, z := range zs {
			out = append(out, dialogs.Count{ID: z.Member.(string), N: int64(z.Score)})
		}
		return out
	}
	st.Asked, st.Unhelpful = counts(asked.Val()), counts(bad.Val())
	for _, raw := range un.Val() {
		var ev dialogs.KBEvent
		if json.Unmarshal([]byte(raw), &ev) == nil {
			st.Unanswered = append(st.Unanswered, ev)
		}
	}
	return st, nil
}
