// Package store keeps petitionbot's state in Redis through go-redis: sessions, the outbox of
// deliveries still to send (per recipient, claimed by senders with leases), the case register
// with its per-year sequence, the audit log and the knowledge-base statistics. It is the only
// package that imports go-redis, and every record it stores passes through one codec
// (codec.go), which encrypts it under the data key (crypto.go). Lookups that need equality
// use keyed hashes (keys.go); rekey.go re-encrypts after a key rotation, retention.go
// erases the personal data of long-closed cases, forget.go a chat's data on /forget.
//
// Every key starts with the configured prefix and carries the hash tag {pb} (keys.go): the
// effects of one update — a session, cases, audit entries and deliveries to several
// recipients — are stored by one Lua script, atomically, which Redis allows only for keys of
// one slot.
package store
