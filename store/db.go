package store

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
)

// Options configure a DB. Zero values get the documented defaults.
type Options struct {
	Prefix     string           // every key starts with it; default "petitionbot:"
	SessionTTL time.Duration    // a silent session (and its draft) expires after it; default 7 days
	DraftTTL   time.Duration    // a draft's reserved case number is kept this long; default SessionTTL
	CasePrefix string           // case numbers "<CasePrefix>-<year>-<NNNNNN>"; default "JC"
	Lease      time.Duration    // how long a sender's claim on deliveries lasts unrenewed; default 5s
	Now        func() time.Time // default time.Now
	// Keys encrypts every record and keys the lookup hashes; nil stores plain JSON (only
	// for the console demo: see Keyring).
	Keys *Keyring
	// Retention is how long the personal data of a closed case is kept (EraseClosed) and
	// a question handed to staff is kept after it was last written; default 3 years.
	Retention time.Duration
}

// DefaultRetention is CASE_RETENTION's default: three years of 365 days.
const DefaultRetention = 3 * 365 * 24 * time.Hour

// DefaultLease is how long a sender's claim on a recipient's deliveries lasts unless
// renewed: a sender renews it every third of it while it sends, so after a crash another
// sender takes over within it.
const DefaultLease = 5 * time.Second

// DB is petitionbot's state in Redis: sessions, the outbox, the case register, the audit
// log and the knowledge-base statistics. It implements dialogs.Store, dialogs.Outbox and
// dialogs.Cases, and is safe for concurrent use by several goroutines and processes.
type DB struct {
	rdb   redis.UniversalClient
	keys  keys
	codec codec
	opt   Options
	acks  acks
	cache *sessionCache
}

var (
	_ dialogs.Store  = (*DB)(nil)
	_ dialogs.Outbox = (*DB)(nil)
	_ dialogs.Cases  = (*DB)(nil)
)

// New returns a DB over rdb.
func New(rdb redis.UniversalClient, opt Options) *DB {
	if opt.Prefix == "" {
		opt.Prefix = "petitionbot:"
	}
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = 7 * 24 * time.Hour
	}
	if opt.DraftTTL <= 0 {
		opt.DraftTTL = opt.SessionTTL
	}
	if opt.CasePrefix == "" {
		opt.CasePrefix = "JC"
	}
	if opt.Lease <= 0 {
		opt.Lease = DefaultLease
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Retention <= 0 {
		opt.Retention = DefaultRetention
	}
	db := &DB{rdb: rdb, keys: keys{opt.Prefix}, codec: codec{ring: opt.Keys, prefix: opt.Prefix}, opt: opt}
	db.acks.flush = db.flushAcks
	db.cache = newSessionCache(min(cacheAge, opt.SessionTTL))
	return db
}

// token returns a new random claim token.
func token() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
