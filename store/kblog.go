package store

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// KBStats returns the ten most given and most unhelpful entries and the latest unanswered
// questions. The events are counted by Commit (dialogs.Effects.KB).
func (db *DB) KBStats(ctx context.Context) (dialogs.KBStats, error) {
	var st dialogs.KBStats
	pipe := db.rdb.Pipeline()
	asked := pipe.ZRevRangeWithScores(ctx, db.keys.kbCount(dialogs.EventAsked), 0, 9)
	bad := pipe.ZRevRangeWithScores(ctx, db.keys.kbCount(dialogs.EventUnhelpful), 0, 9)
	un := pipe.LRange(ctx, db.keys.kbUnanswered(), 0, 9)
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
		if db.codec.decode(db.keys.kbUnanswered(), raw, &ev) == nil {
			st.Unanswered = append(st.Unanswered, ev)
		}
	}
	return st, nil
}
