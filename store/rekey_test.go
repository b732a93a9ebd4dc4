package store_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// seedEverything writes, through db, every kind of record for n chats: a session with a
// draft, a case with its indexes, an audit entry, a flag, a question, an unanswered
// question and a waiting delivery.
func seedEverything(t *testing.T, db *store.DB, n int) {
	t.Helper()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, shanghai)
	for i := range n {
		chat := int64(1000 + i)
		no := fmt.Sprintf("JC-2026-%06d", i+1)
		c := applicant(no, chat, fmt.Sprintf("张%d", i), fmt.Sprintf("138%08d", i), at.Add(time.Duration(i)*time.Minute))
		if i%3 == 0 {
			c.Status, c.Closed = dialogs.StatusWithdrawn, at.Add(time.Hour)
		}
		fx := dialogs.Effects{
			Session:    secretDraft,
			Cases:      []dialogs.CaseWrite{{Case: c}},
			Audit:      []dialogs.AuditEntry{{Time: at, Actor: "petitioner", Action: "submit", Case: no}},
			Questions:  []dialogs.Question{{ID: "Q-" + no, ChatID: chat, Text: "问题", At: at}},
			KB:         []dialogs.KBRecord{{ID: no, Event: dialogs.KBEvent{Kind: dialogs.EventUnanswered, Question: "问", At: at}}},
			Flags:      []dialogs.Flag{{Chat: chat, Name: dialogs.FlagAwaiting, Value: no}},
			Deliveries: []dialogs.Delivery{to(chat, no+"/0", "receipt")},
		}
		b := commit(t, db, chat, "seed"+no, fx)
		for _, batch := range b { // released unsent: the deliveries stay queued for rekey
			if _, _, err := db.Done(context.Background(), batch, dialogs.Sent{N: 0, RetryIn: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkReadable reads, through db, everything seedEverything wrote.
func checkReadable(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		chat := int64(1000 + i)
		no := fmt.Sprintf("JC-2026-%06d", i+1)
		l, err := db.Load(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "x")
		if err != nil || l.Session.Draft == nil || l.Session.Awaiting != no {
			t.Fatalf("chat %d: session %+v, awaiting %q: %v", chat, l.Session.Draft, l.Session.Awaiting, err)
		}
		if cs, err := db.ByChat(ctx, chat); err != nil || len(cs) != 1 || cs[0].Number != no {
			t.Fatalf("chat %d: cases %v: %v", chat, numbersOf(cs), err)
		}
		if cs, err := db.Find(ctx, dialogs.QueryTerms(fmt.Sprintf("张%d", i))); err != nil || len(cs) != 1 {
			t.Fatalf("find 张%d: %v: %v", i, numbersOf(cs), err)
		}
		if _, err := db.Question(ctx, "Q-"+no); err != nil {
			t.Fatalf("question of %s: %v", no, err)
		}
		if a, err := db.AuditLog(ctx, no); err != nil || len(a) != 1 {
			t.Fatalf("audit of %s: %d %v", no, len(a), err)
		}
	}
	if _, err := db.AuditLog(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if st, err := db.KBStats(ctx); err != nil || len(st.Unanswered) == 0 {
		t.Fatalf("unanswered %d: %v", len(st.Unanswered), err)
	}
	batches, _, err := db.Claim(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		for _, it := range b.Items {
			if it.ID == "undecodable" {
				t.Fatalf("a waiting delivery for %s does not decode", b.To)
			}
		}
	}
}

// TestRekeyResumable: a run stopped part way leaves its cursor; the next run goes on
// from it and finishes; afterwards the old key is no longer needed, for records, indexes
// and flags alike. A second full run finds everything current.
func TestRekeyResumable(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	const n = 40
	seedEverything(t, keyedDB(r, ring(t, oldKey)), n)
	rotated := keyedDB(r, ring(t, newKey, oldKey))

	first, err := rotated.Rekey(ctx, store.RekeyOptions{MaxKeys: 30, Batch: 10})
	if err != nil || first.Done || first.Resumed || first.Rewritten == 0 {
		t.Fatalf("first run %+v: %v", first, err)
	}
	if r.c.HGet(ctx, r.prefix+"{pb}:rekey", "cursor").Val() == "" {
		t.Fatal("no cursor kept after a stopped run")
	}
	second, err := rotated.Rekey(ctx, store.RekeyOptions{Batch: 10})
	if err != nil || !second.Done || !second.Resumed || second.Failed != 0 || second.Busy != 0 {
		t.Fatalf("second run %+v: %v", second, err)
	}
	// The stopped run and the resumed one may overlap (SCAN returns a key more than once);
	// a full run afterwards must find nothing left to do.
	third, err := rotated.Rekey(ctx, store.RekeyOptions{})
	if err != nil || third.Rewritten != 0 || third.Resumed || third.Current == 0 {
		t.Fatalf("third run %+v: %v", third, err)
	}
	checkReadable(t, keyedDB(r, ring(t, newKey)), n)
}

// TestRekeyPlainRecords: an installation that ran without encryption (plain records, the
// per-chat index named by chat id, flags without hashes) is converted by rekey.
func TestRekeyPlainRecords(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	plain := store.New(r.c, store.Options{Prefix: r.prefix, SessionTTL: time.Hour})
	seedEverything(t, plain, 5)
	// As before hashing: the per-chat index by chat id, flags without their hash.
	for _, k := range r.c.Keys(ctx, r.prefix+"{pb}:bychat:*").Val() {
		r.c.Del(ctx, k)
	}
	for i := range 5 {
		chat, no := 1000+i, fmt.Sprintf("JC-2026-%06d", i+1)
		r.c.ZAdd(ctx, fmt.Sprintf("%s{pb}:bychat:%d", r.prefix, chat), redis.Z{Score: 1, Member: no})
		r.c.HSet(ctx, fmt.Sprintf("%s{pb}:p:%d", r.prefix, chat), "await", no)
		r.c.HDel(ctx, fmt.Sprintf("%s{pb}:p:%d", r.prefix, chat), "await#")
	}
	keys := ring(t, newKey(t))
	st, err := keyedDB(r, keys).Rekey(ctx, store.RekeyOptions{})
	if err != nil || st.Failed != 0 || st.Busy != 0 || !st.Done {
		t.Fatalf("rekey %+v: %v", st, err)
	}
	checkReadable(t, keyedDB(r, keys), 5)
	if found := rawContains(t, r, "张1", "13800000001", "bychat:1001"); len(found) > 0 {
		t.Fatalf("plaintext left: %v", found)
	}
}

// TestRekeyWhileWriting: rekey runs while the bot keeps writing the same sessions and
// cases; no write is lost, and afterwards everything reads with the new key alone.
func TestRekeyWhileWriting(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	const n = 20
	seedEverything(t, keyedDB(r, ring(t, oldKey)), n)
	rotated := keyedDB(r, ring(t, newKey, oldKey))

	stop := make(chan struct{})
	var wg sync.WaitGroup
	last := make([]string, n)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for round := 0; ; round++ {
			select {
			case <-stop:
				return
			default:
			}
			for i := range n {
				chat := int64(1000 + i)
				key := dialogs.SessionKey{Chat: chat, User: chat}
				l, err := rotated.Load(ctx, key, "w")
				if err != nil {
					t.Error(err)
					return
				}
				s := l.Session
				s.Draft.Field = fmt.Sprintf("round-%d", round)
				c, err := rotated.Get(ctx, fmt.Sprintf("JC-2026-%06d", i+1))
				if err != nil {
					t.Error(err)
					return
				}
				c.Version++
				c.History = append(c.History, dialogs.Event{Action: dialogs.ActNote, Status: c.Status, By: "staff:1", Note: s.Draft.Field})
				fx := dialogs.Effects{Session: s, Cases: []dialogs.CaseWrite{{Case: c, Expect: c.Version - 1}}}
				if _, err := rotated.Commit(ctx, key, fmt.Sprintf("w%d-%d", round, i), l.Version, fx); err != nil {
					t.Error(err)
					return
				}
				last[i] = s.Draft.Field
			}
		}
	}()
	for range 3 {
		if _, err := rotated.Rekey(ctx, store.RekeyOptions{Batch: 5}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if st, err := rotated.Rekey(ctx, store.RekeyOptions{}); err != nil || st.Failed != 0 {
		t.Fatalf("final rekey %+v: %v", st, err)
	}
	fresh := keyedDB(r, ring(t, newKey))
	checkReadable(t, fresh, n)
	for i := range n {
		chat := int64(1000 + i)
		l, _ := fresh.Load(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "x")
		c, _ := fresh.Get(ctx, fmt.Sprintf("JC-2026-%06d", i+1))
		if l.Session.Draft.Field != last[i] || c.History[len(c.History)-1].Note != last[i] {
			t.Fatalf("chat %d: session at %q, case at %q, last written %q", chat, l.Session.Draft.Field, c.History[len(c.History)-1].Note, last[i])
		}
	}
}

// TestRekeyLeavesClaimedDeliveries: deliveries a sender holds are left alone (its
// acknowledgement compares what it read); a later run converts them.
func TestRekeyLeavesClaimedDeliveries(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	c := newClock()
	on := func(keys *store.Keyring) *store.DB {
		return store.New(r.c, store.Options{Prefix: r.prefix, Keys: keys, Now: c.now})
	}
	old := on(ring(t, oldKey))
	batches := commit(t, old, 7, "u", dialogs.Effects{Deliveries: []dialogs.Delivery{to(7, "u/0", "a"), to(7, "u/1", "b")}})
	rotated := on(ring(t, newKey, oldKey))
	st, err := rotated.Rekey(ctx, store.RekeyOptions{})
	if err != nil || st.Busy == 0 {
		t.Fatalf("rekey of a held queue %+v: %v", st, err)
	}
	if _, more, err := old.Done(ctx, batches[0], dialogs.Sent{N: 1, RetryIn: 1000}); err != nil || more {
		t.Fatalf("the holder's acknowledgement failed: %v", err)
	}
	st, err = rotated.Rekey(ctx, store.RekeyOptions{})
	if err != nil || st.Busy != 0 || st.Rewritten != 1 {
		t.Fatalf("second rekey %+v: %v", st, err)
	}
	c.advance(2 * time.Second)
	b, _, err := on(ring(t, newKey)).Claim(ctx, 10)
	if err != nil || len(b) != 1 || len(b[0].Items) != 1 || b[0].Items[0].ID != "u/1" {
		t.Fatalf("after the rekey: %+v %v", b, err)
	}
}

// TestRekeyNeverOverwritesAWrite: the bot writes each record between rekey reading it
// and replacing it; every such write survives, and the rekey still converts everything.
func TestRekeyNeverOverwritesAWrite(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	const n = 3
	seedEverything(t, keyedDB(r, ring(t, oldKey)), n)
	rotated := keyedDB(r, ring(t, newKey, oldKey))
	base := r.prefix + "{pb}:"
	written := map[string]bool{}
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, shanghai)
	hook := func(key string) {
		if written[key] {
			return
		}
		written[key] = true
		rest := strings.TrimPrefix(key, base)
		kind, arg, _ := strings.Cut(rest, ":")
		id, _, _ := strings.Cut(arg, ":")
		chat, _ := strconv.ParseInt(id, 10, 64)
		switch {
		case kind == "s":
			l, _ := rotated.Load(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "h")
			l.Session.Draft.Field = "written meanwhile"
			if _, err := rotated.Commit(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "h"+key, l.Version, dialogs.Effects{Session: l.Session}); err != nil {
				t.Error(err)
			}
		case kind == "case":
			c, _ := rotated.Get(ctx, arg)
			c.Values["name"], c.Version = "改名"+arg, c.Version+1
			if _, err := rotated.Commit(ctx, dialogs.SessionKey{Chat: -1, User: int64(len(written))}, "h"+key, 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: c.Version - 1}}}); err != nil {
				t.Error(err)
			}
		case rest == "kb:unanswered":
			commit(t, rotated, 1, "h"+key, dialogs.Effects{KB: []dialogs.KBRecord{{ID: "new", Event: dialogs.KBEvent{Kind: dialogs.EventUnanswered, Question: "meanwhile", At: at}}}})
		case kind == "p":
			commit(t, rotated, 1, "h"+key, dialogs.Effects{Flags: []dialogs.Flag{{Chat: chat, Name: dialogs.FlagAwaiting, Value: "JC-2099-000001"}}})
		}
	}
	st, err := rotated.Rekey(ctx, store.RekeyOptions{BeforeWrite: hook})
	if err != nil || st.Failed != 0 {
		t.Fatalf("rekey %+v: %v", st, err)
	}
	if st2, err := rotated.Rekey(ctx, store.RekeyOptions{}); err != nil || st2.Rewritten != 0 {
		t.Fatalf("left after the first run: %+v %v", st2, err)
	}
	fresh := keyedDB(r, ring(t, newKey))
	for i := range n {
		chat, no := int64(1000+i), fmt.Sprintf("JC-2026-%06d", i+1)
		l, err := fresh.Load(ctx, dialogs.SessionKey{Chat: chat, User: chat}, "x")
		if err != nil || l.Session.Draft.Field != "written meanwhile" || l.Session.Awaiting != "JC-2099-000001" {
			t.Errorf("chat %d: %+v %q %v", chat, l.Session.Draft, l.Session.Awaiting, err)
		}
		if c, err := fresh.Get(ctx, no); err != nil || c.Values["name"] != "改名"+no {
			t.Errorf("case %s: %q %v", no, c.Values["name"], err)
		}
		if cs, _ := fresh.Find(ctx, dialogs.QueryTerms("改名"+no)); len(cs) != 1 {
			t.Errorf("the name written meanwhile does not find %s", no)
		}
	}
	if kb, err := fresh.KBStats(ctx); err != nil || len(kb.Unanswered) != n+1 || kb.Unanswered[0].Question != "meanwhile" {
		t.Errorf("unanswered: %+v %v", kb.Unanswered, err)
	}
	if len(written) < 3*n {
		t.Fatalf("the hook ran for %d keys only", len(written))
	}
}
