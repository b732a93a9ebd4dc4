package store

import (
	"strconv"
	"strings"
	"time"
)

// A redelivered update must have no second effect, so each commit marks its update as
// handled, and a commit of an update already marked stores nothing. Two marks:
//
//   - Telegram's update ids increase, and one session's updates are handled one at a
//     time and in order; so the session remembers the latest one it committed, and any
//     id up to it is a redelivery. The mark lives in the session's own string, which the
//     commit writes anyway: no key and no command of its own. Telegram numbers updates
//     at random again after a week without any, so a mark older than seenWindow counts
//     for nothing; and it is used only when sessions outlive seenWindow (DRAFT_TTL).
//   - Other inputs (timed jobs, undelivered messages, the console) have ids of their own:
//     they are kept in a sorted set per session for seenWindow.

// seenWindow is how long handled update ids are remembered. Telegram keeps unconfirmed
// updates for 24 hours, so a redelivery always falls inside it.
const seenWindow = 48 * time.Hour

// A session is stored as one string, "<version>[/<mark>/<unix seconds>]:<record>" (an
// empty record for a session that holds nothing): a hash would do, but Redis keeps a hash
// whose value is longer than 64 bytes as a full hash table, a third more memory for every
// draft.
type sessionHead struct {
	version int64
	mark    int64 // the latest Telegram update committed; 0 for none
	markAt  int64 // when, unix seconds
}

// splitSession returns a stored session's head and its record.
func splitSession(stored string) (sessionHead, string) {
	h, d, ok := strings.Cut(stored, ":")
	if !ok {
		return sessionHead{}, ""
	}
	var head sessionHead
	parts := strings.Split(h, "/")
	head.version, _ = strconv.ParseInt(parts[0], 10, 64)
	if len(parts) == 3 {
		head.mark, _ = strconv.ParseInt(parts[1], 10, 64)
		head.markAt, _ = strconv.ParseInt(parts[2], 10, 64)
	}
	return head, d
}

// seen reports whether the head's mark covers updateID at now.
func (h sessionHead) seen(updateID string, now time.Time) bool {
	n, ok := telegramID(updateID)
	return ok && h.mark > 0 && now.Unix()-h.markAt <= int64(seenWindow/time.Second) && n <= h.mark
}

// markable returns updateID for the commit to keep as the session's mark, or "" when it
// goes to the sorted set: not a Telegram update, or sessions that may expire before a
// redelivery (DRAFT_TTL under seenWindow).
func (db *DB) markable(updateID string) string {
	if _, ok := telegramID(updateID); !ok || db.opt.SessionTTL < seenWindow {
		return ""
	}
	return updateID
}

// telegramID parses a Telegram update id: digits only, as the transport writes them.
func telegramID(updateID string) (int64, bool) {
	if updateID == "" || len(updateID) > 15 || strings.Trim(updateID, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(updateID, 10, 64)
	return n, err == nil && n > 0
}
