package store

import "strconv"

// keys builds every Redis key name the store uses. Names hold no personal data: chat ids
// (Telegram's numbers, which the outbox needs in plaintext to know where to send), case
// numbers, and keyed hashes (hex HMAC-SHA256, see Keyring.hashes) where a name would
// otherwise tie a chat to its cases or hold a name or phone. All of an installation's keys carry
// the hash tag {pb}, so that one Lua script may change a petitioner's session, a case, the
// audit log and several recipients' outboxes at once, on a single server, Sentinel or a
// Cluster (where they all live in one slot).
type keys struct{ prefix string }

func (k keys) base() string { return k.prefix + "{pb}:" }

func id(n int64) string { return strconv.FormatInt(n, 10) }

func (k keys) session(chat, user int64) string { return k.base() + "s:" + id(chat) + ":" + id(user) }
func (k keys) seen(chat, user int64) string    { return k.base() + "seen:" + id(chat) + ":" + id(user) }
func (k keys) prefs(user int64) string         { return k.base() + "p:" + id(user) }

func (k keys) queue(recipient string) string { return k.base() + "q:" + recipient }
func (k keys) lease(recipient string) string { return k.base() + "lease:" + recipient }
func (k keys) parts(recipient string) string { return k.base() + "parts:" + recipient }
func (k keys) ready() string                 { return k.base() + "ready" }
func (k keys) cards() string                 { return k.base() + "cards" }

func (k keys) seq(year int) string          { return k.base() + "seq:" + strconv.Itoa(year) }
func (k keys) caseRec(number string) string { return k.base() + "case:" + number }
func (k keys) byDraft(draft string) string  { return k.base() + "draft:" + draft }
func (k keys) byChat(hash string) string    { return k.base() + "bychat:" + hash }
func (k keys) allCases() string             { return k.base() + "cases" }
func (k keys) find(hash string) string      { return k.base() + "find:" + hash }
func (k keys) closed() string               { return k.base() + "closed" }

// legacyByChat is the per-chat index before it was keyed by a hash; rekey moves it.
func (k keys) legacyByChat(chat int64) string { return k.base() + "bychat:" + id(chat) }

func (k keys) audit() string                  { return k.base() + "audit" }
func (k keys) caseAudit(number string) string { return k.base() + "audit:" + number }

func (k keys) question(id string) string        { return k.base() + "question:" + id }
func (k keys) chatQuestions(hash string) string { return k.base() + "qchat:" + hash }

func (k keys) kbCount(kind string) string { return k.base() + "kb:" + kind }
func (k keys) kbUnanswered() string       { return k.base() + "kb:unanswered" }

func (k keys) staffChat() string { return k.base() + "staffchat-moves" }
func (k keys) retention() string { return k.base() + "retention" }
func (k keys) rekey() string     { return k.base() + "rekey" }

// Domains of the keyed hashes, so that equal values of different kinds hash apart.
const (
	hashChat = "chat"
	hashFind = "find"
	hashFlag = "flag"
)

// chatHashes are the keyed hashes naming a chat in index keys, the current key's first.
func (db *DB) chatHashes(chat int64) []string { return db.opt.Keys.hashes(hashChat, id(chat)) }
