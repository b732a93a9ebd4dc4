package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

var shanghai = time.FixedZone("CST", 8*3600)

// clock is a settable time for the store's Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }
func msg(key string) dialogs.Message {
	return dialogs.Message{Lang: "en", Parts: []dialogs.Text{dialogs.T(key)}}
}
func to(chat int64, id, key string) dialogs.Delivery {
	return dialogs.Delivery{ID: id, To: dialogs.ToChat(chat), Msg: msg(key)}
}

// newDB returns a DB on a fresh key prefix with a settable clock and a 10 s lease.
func newDB(t *testing.T) (*store.DB, *redis.Client, string, *clock) {
	t.Helper()
	rdb, prefix := redistest.New(t)
	c := newClock()
	return store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour, Lease: 10 * time.Second, Now: c.now}), rdb, prefix, c
}

// commit commits fx for a private chat at the version it loads, failing the test on error.
func commit(t *testing.T, db *store.DB, chat int64, update string, fx dialogs.Effects) []dialogs.Batch {
	t.Helper()
	ctx := context.Background()
	key := dialogs.SessionKey{Chat: chat, User: chat}
	l, err := db.Load(ctx, key, update)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.Commit(ctx, key, update, l.Version, fx)
	if err != nil {
		t.Fatalf("commit %s: %v", update, err)
	}
	return b
}

// ids lists the delivery ids of a batch.
func ids(b dialogs.Batch) []string {
	var out []string
	for _, it := range b.Items {
		out = append(out, it.ID)
	}
	return out
}

// testRedis is a client and key prefix for tests that build several DBs on one key space.
type testRedis struct {
	c      *redis.Client
	prefix string
}

func dbClient(t testing.TB) testRedis {
	c, prefix := redistest.New(t)
	return testRedis{c, prefix}
}
