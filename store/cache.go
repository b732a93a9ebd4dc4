package store

import (
	"container/list"
	"sync"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// The session cache keeps, in this process, the sessions it last loaded or committed, so
// that a chat's next update is handled without loading it again. It cannot make the bot
// act on stale state: the commit checks the session's version, the version of the
// chat's preferences ("pv", raised by every write to them: a language, a flag another
// chat set) and the update's seen mark whatever the cache held, so when a cached session
// is no longer what is stored — another process changed it, it expired, a staff member
// set a flag — the commit fails with ErrConflict (or ErrDuplicate), the entry is dropped
// and the update is handled again on the stored state. A process that restarts starts
// with an empty cache. Entries are plaintext JSON in memory only, bounded in bytes and
// in age.

const (
	cacheBytes = 2 << 20         // memory the entries take at most, in bytes
	cacheAge   = 2 * time.Minute // a session not used for this long is loaded again
	entryBytes = 256             // an entry's memory besides its JSON: the struct, the list and map entries
)

// cached is a session as this process last saw it stored.
type cached struct {
	key          dialogs.SessionKey
	version      int64  // the session's
	prefsVersion int64  // the preferences hash's "pv"
	json         []byte // the session's JSON (nil for an empty session): Lang and flags aside
	lang         string
	awaiting     string
	formStart    string
	at           time.Time
	elem         *list.Element
}

// sessionCache is an LRU of cached sessions, safe for concurrent use.
type sessionCache struct {
	mu    sync.Mutex
	m     map[dialogs.SessionKey]*cached
	order list.List // most recently used at the front
	bytes int
	age   time.Duration
}

func newSessionCache(age time.Duration) *sessionCache {
	return &sessionCache{m: map[dialogs.SessionKey]*cached{}, age: age}
}

// get returns k's entry when it was used within the cache's age.
func (c *sessionCache) get(k dialogs.SessionKey, now time.Time) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.Sub(e.at) > c.age || now.Before(e.at) {
		return cached{}, false
	}
	e.at = now
	c.order.MoveToFront(e.elem)
	return *e, true
}

// peek returns k's entry, however old, without using it.
func (c *sessionCache) peek(k dialogs.SessionKey) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return cached{}, false
	}
	return *e, true
}

func (c *sessionCache) put(e cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(e.key)
	n := e
	n.elem = c.order.PushFront(&n)
	c.m[e.key] = &n
	c.bytes += entryBytes + len(n.json)
	for c.bytes > cacheBytes && c.order.Len() > 1 {
		c.removeLocked(c.order.Back().Value.(*cached).key)
	}
}

func (c *sessionCache) drop(k dialogs.SessionKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removeLocked(k)
}

func (c *sessionCache) removeLocked(k dialogs.SessionKey) {
	if e, ok := c.m[k]; ok {
		c.order.Remove(e.elem)
		c.bytes -= entryBytes + len(e.json)
		delete(c.m, k)
	}
}
