package store

import "github.com/petitionbot/petitionbot/dialogs"

// The records beside sessions and cases: flags, questions handed to staff, unanswered
// questions. Each is encrypted like every other record.

// unansweredRecord is a question the knowledge base could not answer, with the chat that
// asked it (inside the encrypted record) so that a forget finds it.
type unansweredRecord struct {
	dialogs.KBEvent
	Chat int64 `json:"chat,omitempty"`
}

// flagKey is the name a flag's value is bound to: its preferences key and its field.
func flagKey(prefsKey, name string) string { return prefsKey + "#" + name }

// flagTags are the keyed hashes of a flag's value under every key, compared by the commit
// script to clear a flag only while it holds a value.
func (db *DB) flagTags(chat int64, name, value string) []string {
	return db.opt.Keys.hashes(hashFlag, id(chat)+"\x00"+name+"\x00"+value)
}

// flagValue decodes the flag name of a chat's preferences p. A flag without its keyed
// hash was written before flags were encrypted and reads as it is (rekey encrypts it); a
// value that does not decode reads as no flag.
func (db *DB) flagValue(prefsKey string, p map[string]string, name string) string {
	stored := p[name]
	if stored == "" {
		return ""
	}
	if _, tagged := p[tagField(name)]; !tagged {
		return stored
	}
	var v string
	if db.codec.decode(flagKey(prefsKey, name), stored, &v) != nil {
		return ""
	}
	return v
}

// tagField is the field holding the keyed hash of flag name's value.
func tagField(name string) string { return name + "#" }

func (db *DB) planFlag(pl *planner, p *commitPlan, f dialogs.Flag) error {
	key := db.keys.prefs(f.Chat)
	pf := planFlag{K: pl.key(key), F: f.Name, Ifs: []string{}}
	switch {
	case f.Value != "":
		val, err := db.codec.encode(flagKey(key, f.Name), f.Value)
		if err != nil {
			return err
		}
		pf.Val, pf.Tag = val, db.flagTags(f.Chat, f.Name, f.Value)[0]
	case f.IfValue != "":
		pf.C, pf.Ifs = "1", db.flagTags(f.Chat, f.Name, f.IfValue)
	}
	p.Flags = append(p.Flags, pf)
	return nil
}

// planQuestion stores a question handed to staff, kept Retention after its last write,
// and indexes it under its chat's keyed hash for a forget. An answer (Answered set) only
// updates a question that still exists.
func (db *DB) planQuestion(pl *planner, p *commitPlan, q dialogs.Question) error {
	key := db.keys.question(q.ID)
	d, err := db.codec.encode(key, q)
	if err != nil {
		return err
	}
	ttl := db.opt.Retention.Milliseconds()
	set := planSet{K: pl.key(key), D: pl.blob(d), TTL: ttl}
	if !q.Answered.IsZero() {
		set.X = "1"
	}
	p.Sets = append(p.Sets, set)
	if q.ChatID != 0 {
		p.SAdd = append(p.SAdd, planZ{K: pl.key(db.keys.chatQuestions(db.chatHashes(q.ChatID)[0])), M: q.ID, S: itoa(ttl)})
	}
	return nil
}

// queueTTL is how long a recipient's waiting deliveries are kept after the last one was
// queued: a private chat's as long as a silent draft (what cannot be delivered for that
// long goes with the draft it was about); the staff group's, which hold no personal
// data, until sent.
func (db *DB) queueTTL(to dialogs.Recipient) int64 {
	if to.Staff {
		return 0
	}
	return db.opt.SessionTTL.Milliseconds()
}

func itoa(n int64) string { return id(n) }
