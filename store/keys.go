package store

import "strconv"

// keys builds every Redis key name the store uses.
type keys struct{ prefix string }

func (k keys) chat(id int64) string          { return k.prefix + "{chat:" + strconv.FormatInt(id, 10) + "}:" }
func (k keys) session(id int64) string       { return k.chat(id) + "session" }
func (k keys) prefs(id int64) string         { return k.chat(id) + "prefs" }
func (k keys) seen(id int64) string          { return k.chat(id) + "seen" }
func (k keys) outbox(id int64) string        { return k.chat(id) + "outbox" }
func (k keys) outboxParts(id int64) string   { return k.chat(id) + "outbox-parts" }
func (k keys) outboxPattern() string         { return k.prefix + "{chat:*}:outbox" }
func (k keys) cases() string                 { return k.prefix + "{cases}:" }
func (k keys) seq(year int) string           { return k.cases() + "seq:" + strconv.Itoa(year) }
func (k keys) caseRec(number string) string  { return k.cases() + "case:" + number }
func (k keys) byDraft(draftID string) string { return k.cases() + "draft:" + draftID }
func (k keys) byChat(id int64) string        { return k.cases() + "chat:" + strconv.FormatInt(id, 10) }
func (k keys) notices() string               { return k.cases() + "notices" }
func (k keys) kb() string                    { return k.prefix + "{kb}:" }
func (k keys) kbEvent(id string) string      { return k.kb() + "ev:" + id }
func (k keys) kbCount(kind string) string    { return k.kb() + kind }
func (k keys) kbUnanswered() string          { return k.kb() + "unanswered" }
func (k keys) handoff(id string) string      { return k.cases() + "handoff:" + id }
func (k keys) staffChat() string             { return k.prefix + "staffchat-moves" }
