package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// seenWindow is how long handled update ids are remembered. Telegram keeps unconfirmed
// updates for 24 hours, so a redelivery always falls inside it.
const seenWindow = 48 * time.Hour

// Sessions stores chat sessions, handled update ids and the per-chat outbox.
type Sessions struct {
	rdb  redis.UniversalClient
	keys keys
	ttl  time.Duration
	now  func() time.Time
}

var _ dialogs.SessionStore = (*Sessions)(nil)

// NewSessions returns a session store whose keys start with prefix. A session expires
// after ttl without activity (its draft with it); the language preference does not.
func NewSessions(rdb redis.UniversalClient, prefix string, ttl time.Duration) *Sessions {
	return &Sessions{rdb: rdb, keys: keys{prefix}, ttl: ttl, now: time.Now}
}

// Seen reports whether updateID was committed for the chat within the last 48 hours.
func (s *Sessions) Seen(ctx context.Context, chatID int64, updateID string) (bool, error) {
	_, err := s.rdb.ZScore(ctx, s.keys.seen(chatID), updateID).Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, err
}

// Load returns the chat's session, or the zero Session.
func (s *Sessions) Load(ctx context.Context, chatID int64) (dialogs.Session, error) {
	var sess dialogs.Session
	pipe := s.rdb.Pipeline()
	raw := pipe.Get(ctx, s.keys.session(chatID))
	lang := pipe.HGet(ctx, s.keys.prefs(chatID), "lang")
	_, err := pipe.Exec(ctx)
	if err != nil && !errors.Is(err, redis.Nil) {
		return sess, err
	}
	if b, err := raw.Bytes(); err == nil {
		if err := json.Unmarshal(b, &sess); err != nil {
			return dialogs.Session{}, fmt.Errorf("decode session: %w", err)
		}
	}
	sess.Lang = lang.Val()
	return sess, nil
}

// Commit stores the session, marks the update handled and appends out to the outbox, in
// one MULTI. An empty session is deleted rather than stored.
func (s *Sessions) Commit(ctx context.Context, chatID int64, updateID string, sess dialogs.Session, out []dialogs.Message) error {
	body, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	msgs := make([]any, 0, len(out))
	for _, m := range out {
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		msgs = append(msgs, b)
	}
	now := s.now()
	seen := s.keys.seen(chatID)
	return s.rdb.Watch(ctx, func(tx *redis.Tx) error {
		if _, err := tx.ZScore(ctx, seen, updateID).Result(); err == nil {
			return dialogs.ErrDuplicate
		} else if !errors.Is(err, redis.Nil) {
			return err
		}
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			if string(body) == "{}" {
				p.Del(ctx, s.keys.session(chatID))
			} else {
				p.Set(ctx, s.keys.session(chatID), body, s.ttl)
			}
			if sess.Lang == "" {
				p.Del(ctx, s.keys.prefs(chatID))
			} else {
				p.HSet(ctx, s.keys.prefs(chatID), "lang", sess.Lang)
			}
			p.ZAdd(ctx, seen, redis.Z{Score: float64(now.Unix()), Member: updateID})
			p.ZRemRangeByScore(ctx, seen, "-inf", strconv.FormatInt(now.Add(-seenWindow).Unix(), 10))
			p.Expire(ctx, seen, seenWindow)
			if len(msgs) > 0 {
				p.RPush(ctx, s.keys.outbox(chatID), msgs...)
			}
			return nil
		})
		return err
	}, seen)
}

// Outgoing is a message waiting in an outbox, as read by Pending.
type Outgoing struct {
	Message dialogs.Message
	raw     string
}

// Pending returns the first message waiting in the chat's outbox.
func (s *Sessions) Pending(ctx context.Context, chatID int64) (Outgoing, bool, error) {
	raw, err := s.rdb.LIndex(ctx, s.keys.outbox(chatID), 0).Result()
	if errors.Is(err, redis.Nil) {
		return Outgoing{}, false, nil
	}
	if err != nil {
		return Outgoing{}, false, err
	}
	o := Outgoing{raw: raw}
	if err := json.Unmarshal([]byte(raw), &o.Message); err != nil {
		// A message that cannot be decoded can never be sent: drop it.
		return Outgoing{}, false, s.Ack(ctx, chatID, o)
	}
	return o, true, nil
}

// ackScript removes the head of a list only if it is still the item that was read, so
// that two senders never remove an item nobody sent. KEYS: list, a key to delete with it.
var ackScript = redis.NewScript(`
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('DEL', KEYS[2])
return 1
`)

// Ack removes o from the head of the chat's outbox once it was sent (or given up), with
// its count of parts sent. It does nothing if o is no longer the head.
func (s *Sessions) Ack(ctx context.Context, chatID int64, o Outgoing) error {
	return ackScript.Run(ctx, s.rdb, []string{s.keys.outbox(chatID), s.keys.outboxParts(chatID)}, o.raw).Err()
}

// PartsSent returns how many parts of the first outbox message (a long message is sent
// in several) Telegram already accepted, so a retry sends only the rest.
func (s *Sessions) PartsSent(ctx context.Context, chatID int64) (int, error) {
	n, err := s.rdb.Get(ctx, s.keys.outboxParts(chatID)).Int()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// SetPartsSent records that n parts of the first outbox message were accepted.
func (s *Sessions) SetPartsSent(ctx context.Context, chatID int64, n int) error {
	return s.rdb.Set(ctx, s.keys.outboxParts(chatID), n, 0).Err()
}

// OutboxChats lists the chats with messages waiting, for the flush at start-up.
func (s *Sessions) OutboxChats(ctx context.Context) ([]int64, error) {
	var (
		mu    sync.Mutex
		chats []int64
	)
	err := forEachKey(ctx, s.rdb, s.keys.outboxPattern(), func(key string) {
		if id, ok := chatOf(key, s.keys.prefix); ok {
			mu.Lock()
			chats = append(chats, id)
			mu.Unlock()
		}
	})
	return chats, err
}
