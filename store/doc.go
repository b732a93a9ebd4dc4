// Package store keeps petitionbot's state in Redis through go-redis: chat sessions, the
// per-chat outbox of messages still to send, the case register with its per-year
// sequence, and the queue of staff notices. It is the only package that imports
// go-redis.
//
// Keys that change together share a hash slot, so every multi-key write is one MULTI or
// one Lua script even on Redis Cluster: a chat's keys are tagged {chat:<id>}, all case
// keys are tagged {cases}. Every key starts with the configured prefix (keys.go).
package store
