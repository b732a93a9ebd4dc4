package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// Load returns the chat's session, or the zero Session, and whether updateID was
// committed for the chat within the last 48 hours, in one round trip.
func (s *Sessions) Load(ctx context.Context, chatID int64, updateID string) (dialogs.Session, bool, error) {
	var sess dialogs.Session
	pipe := s.rdb.Pipeline()
	raw := pipe.Get(ctx, s.keys.session(chatID))
	lang := pipe.HGet(ctx, s.keys.prefs(chatID), "lang")
	seen := pipe.ZScore(ctx, s.keys.seen(chatID), updateID)
	_, err := pipe.Exec(ctx)
	if err != nil && !errors.Is(err, redis.Nil) {
		return sess, false, err
	}
	if b, err := raw.Bytes(); err == nil {
		if err := json.Unmarshal(b, &sess); err != nil {
			return dialogs.Session{}, false, fmt.Errorf("decode session: %w", err)
		}
	}
	sess.Lang = lang.Val()
	return sess, seen.Err() == nil, nil
}

// commitScript stores one handled update. KEYS: session, prefs, seen, outbox. ARGV:
// update id, session JSON ("" deletes it), session ttl in ms, language ("" deletes the
// preferences), now and the oldest remembered time (unix seconds), seen ttl in seconds,
// then the messages to queue. It returns 0, storing nothing, if the update was seen.
var commitScript = redis.NewScript(`
if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
if ARGV[4] == '' then redis.call('DEL', KEYS[2]) else redis.call('HSET', KEYS[2], 'lang', ARGV[4]) end
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[7])
for i = 8, #ARGV do redis.call('RPUSH', KEYS[4], ARGV[i]) end
return 1
`)

// Commit stores the session, marks the update handled and appends out to the outbox, in
// one script; it returns dialogs.ErrDuplicate, storing nothing, if the update was already
// committed. An empty session is deleted rather than stored.
func (s *Sessions) Commit(ctx context.Context, chatID int64, updateID string, sess dialogs.Session, out []dialogs.Message) error {
	body, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	if string(body) == "{}" {
		body = nil
	}
	now := s.now()
	args := []any{updateID, string(body), s.ttl.Milliseconds(), sess.Lang,
		now.Unix(), now.Add(-seenWindow).Unix(), int64(seenWindow / time.Second)}
	for _, m := range out {
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		args = append(args, string(b))
	}
	keys := []string{s.keys.session(chatID), s.keys.prefs(chatID), s.keys.seen(chatID), s.keys.outbox(chatID)}
	stored, err := commitScript.Run(ctx, s.rdb, keys, args...).Int()
	if err != nil {
		return err
	}
	if stored == 0 {
		return dialogs.ErrDuplicate
	}
	return nil
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
