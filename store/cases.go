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

// Notice is a staff notification waiting to be sent: a new case or a withdrawal.
type Notice struct {
	Kind     string            `json:"kind"` // NoticeNew, NoticeWithdrawn or NoticeQuestion
	Number   string            `json:"number,omitempty"`
	At       time.Time         `json:"at"`
	Question *dialogs.Question `json:"question,omitempty"` // for NoticeQuestion

	raw string // as read from the queue, for AckNotice
}

// Notice kinds.
const (
	NoticeNew       = "new"
	NoticeWithdrawn = "withdrawn"
	NoticeQuestion  = "question"
)

// Cases is the case register in Redis.
type Cases struct {
	rdb    redis.UniversalClient
	keys   keys
	prefix string
	loc    *time.Location
}

var _ dialogs.Cases = (*Cases)(nil)

// NewCases returns the register. Case numbers are "<casePrefix>-<year>-<NNNNNN>", the year
// taken in loc, the sequence counting from 1 each year and never reused.
func NewCases(rdb redis.UniversalClient, keyPrefix, casePrefix string, loc *time.Location) *Cases {
	return &Cases{rdb: rdb, keys: keys{keyPrefix}, prefix: casePrefix, loc: loc}
}

// submitScript creates a case unless its draft already made one. KEYS: draft index,
// case record, chat index, notices. ARGV: number, record, score, notice.
var submitScript = redis.NewScript(`
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[4])
return ARGV[1]
`)

// Submit records c and queues its staff alert in one script. A second Submit with the
// same DraftID returns the first number and creates nothing. A number drawn by a call
// that then failed is skipped, never reused.
func (cs *Cases) Submit(ctx context.Context, c dialogs.Case) (string, error) {
	draftKey := cs.keys.byDraft(c.DraftID)
	if no, err := cs.rdb.Get(ctx, draftKey).Result(); err == nil {
		return no, nil
	} else if !errors.Is(err, redis.Nil) {
		return "", err
	}
	year := c.Submitted.In(cs.loc).Year()
	seq, err := cs.rdb.Incr(ctx, cs.keys.seq(year)).Result()
	if err != nil {
		return "", fmt.Errorf("next case number: %w", err)
	}
	c.Number = fmt.Sprintf("%s-%d-%06d", cs.prefix, year, seq)
	rec, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	notice, _ := json.Marshal(Notice{Kind: NoticeNew, Number: c.Number, At: c.Submitted})
	keys := []string{draftKey, cs.keys.caseRec(c.Number), cs.keys.byChat(c.ChatID), cs.keys.notices()}
	return submitScript.Run(ctx, cs.rdb, keys, c.Number, rec, c.Submitted.Unix(), notice).Text()
}

// Get returns a case by number, or dialogs.ErrNotFound.
func (cs *Cases) Get(ctx context.Context, number string) (dialogs.Case, error) {
	b, err := cs.rdb.Get(ctx, cs.keys.caseRec(number)).Bytes()
	if errors.Is(err, redis.Nil) {
		return dialogs.Case{}, dialogs.ErrNotFound
	}
	if err != nil {
		return dialogs.Case{}, err
	}
	var c dialogs.Case
	if err := json.Unmarshal(b, &c); err != nil {
		return dialogs.Case{}, fmt.Errorf("decode case: %w", err)
	}
	return c, nil
}

// ByChat lists a chat's cases, newest first.
func (cs *Cases) ByChat(ctx context.Context, chatID int64) ([]dialogs.Case, error) {
	numbers, err := cs.rdb.ZRevRange(ctx, cs.keys.byChat(chatID), 0, 99).Result()
	if err != nil || len(numbers) == 0 {
		return nil, err
	}
	recKeys := make([]string, len(numbers))
	for i, n := range numbers {
		recKeys[i] = cs.keys.caseRec(n)
	}
	raw, err := cs.rdb.MGet(ctx, recKeys...).Result()
	if err != nil {
		return nil, err
	}
	out := make([]dialogs.Case, 0, len(raw))
	for _, r := range raw {
		s, ok := r.(string)
		if !ok {
			continue
		}
		var c dialogs.Case
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			return nil, fmt.Errorf("decode case: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// Withdraw marks the chat's case withdrawn and queues a staff notice, atomically.
func (cs *Cases) Withdraw(ctx context.Context, chatID int64, number string, at time.Time, ref string) (bool, error) {
	key := cs.keys.caseRec(number)
	done := false
	txf := func(tx *redis.Tx) error {
		b, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return dialogs.ErrNotFound
		}
		if err != nil {
			return err
		}
		var c dialogs.Case
		if err := json.Unmarshal(b, &c); err != nil {
			return fmt.Errorf("decode case: %w", err)
		}
		if c.ChatID != chatID {
			return dialogs.ErrNotFound
		}
		if c.Status == dialogs.StatusWithdrawn {
			last := c.History[len(c.History)-1]
			done = ref != "" && last.Status == dialogs.StatusWithdrawn && last.Ref == ref
			return nil
		}
		c.Status = dialogs.StatusWithdrawn
		c.History = append(c.History, dialogs.Event{Time: at, Status: dialogs.StatusWithdrawn, By: "petitioner", Ref: ref})
		rec, _ := json.Marshal(c)
		notice, _ := json.Marshal(Notice{Kind: NoticeWithdrawn, Number: number, At: at})
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, rec, 0)
			p.RPush(ctx, cs.keys.notices(), notice)
			return nil
		})
		done = err == nil
		return err
	}
	for attempt := 0; ; attempt++ {
		err := cs.rdb.Watch(ctx, txf, key)
		if errors.Is(err, redis.TxFailedErr) && attempt < 5 {
			continue // the case changed meanwhile: read it again
		}
		return done, err
	}
}

// NextNotice returns the oldest staff notice without removing it.
func (cs *Cases) NextNotice(ctx context.Context) (Notice, bool, error) {
	b, err := cs.rdb.LIndex(ctx, cs.keys.notices(), 0).Bytes()
	if errors.Is(err, redis.Nil) {
		return Notice{}, false, nil
	}
	if err != nil {
		return Notice{}, false, err
	}
	n := Notice{raw: string(b)}
	if err := json.Unmarshal(b, &n); err != nil {
		return Notice{}, false, cs.AckNotice(ctx, n)
	}
	n.raw = string(b)
	return n, true, nil
}

// AckNotice removes n from the head of the staff queue once it was delivered; it does
// nothing if n is no longer the head.
func (cs *Cases) AckNotice(ctx context.Context, n Notice) error {
	return ackScript.Run(ctx, cs.rdb, []string{cs.keys.notices(), cs.keys.notices() + ":none"}, n.raw).Err()
}

// StaffChat returns the id the configured staff chat moved to when Telegram migrated
// the group, if it did.
func (cs *Cases) StaffChat(ctx context.Context, configured int64) (int64, bool, error) {
	id, err := cs.rdb.HGet(ctx, cs.keys.staffChat(), strconv.FormatInt(configured, 10)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// SetStaffChat records that the staff chat old moved to new.
func (cs *Cases) SetStaffChat(ctx context.Context, old, new int64) error {
	return cs.rdb.HSet(ctx, cs.keys.staffChat(), strconv.FormatInt(old, 10), new).Err()
}
