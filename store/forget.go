package store

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// planForget adds to a commit the erasure of what a chat left outside its cases (see
// dialogs.Forget): its preferences and flags, its drafts' number reservations, the
// questions it handed to staff with their index, and its unanswered questions in the
// knowledge-base statistics. It reads the question index and the unanswered list first.
// Only this chat's own commits add to either for this chat (its session's version is
// checked); an answer never recreates an erased question; other chats' commits only push
// to and trim the list, and the script removes exactly the items read (each encrypted
// value is unique).
func (db *DB) planForget(ctx context.Context, pl *planner, p *commitPlan, f dialogs.Forget) error {
	p.Del = append(p.Del, pl.key(db.keys.prefs(f.Chat)))
	for _, d := range f.Drafts {
		p.Del = append(p.Del, pl.key(db.keys.byDraft(d)))
	}
	hashes := db.chatHashes(f.Chat)
	pipe := db.rdb.Pipeline()
	members := make([]*redis.StringSliceCmd, len(hashes))
	for i, h := range hashes {
		members[i] = pipe.SMembers(ctx, db.keys.chatQuestions(h))
	}
	unanswered := pipe.LRange(ctx, db.keys.kbUnanswered(), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	for i, h := range hashes {
		for _, q := range members[i].Val() {
			p.Del = append(p.Del, pl.key(db.keys.question(q)))
		}
		p.Del = append(p.Del, pl.key(db.keys.chatQuestions(h)))
	}
	key := db.keys.kbUnanswered()
	for _, raw := range unanswered.Val() {
		var u unansweredRecord
		if db.codec.decode(key, raw, &u) == nil && u.Chat == f.Chat {
			p.LRem = append(p.LRem, planPush{K: pl.key(key), D: pl.blob(raw)})
		}
	}
	return nil
}
