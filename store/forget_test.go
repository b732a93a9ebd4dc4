package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// TestForget: a forget erases the chat's preferences and flags, its draft's number
// reservation, the questions it handed off with their index and its unanswered
// questions, and nothing of another chat's; an answer given afterwards does not bring the
// question back.
func TestForget(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	db := keyedDB(r, ring(t, newKey(t)))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, shanghai)
	me, other := int64(7), int64(8)
	unanswered := func(q string) dialogs.Effects {
		return dialogs.Effects{Session: dialogs.Session{Lang: "en"}, KB: []dialogs.KBRecord{{ID: q, Event: dialogs.KBEvent{Kind: dialogs.EventUnanswered, Question: q, At: at}}}}
	}
	commit(t, db, me, "u1", unanswered("my question"))
	commit(t, db, other, "o1", unanswered("their question"))
	commit(t, db, me, "u2", dialogs.Effects{Session: dialogs.Session{Lang: "en"}, Questions: []dialogs.Question{{ID: "Q-MINE", ChatID: me, UserID: me, Text: "我家的地被征收了", At: at}}})
	commit(t, db, other, "o2", dialogs.Effects{Questions: []dialogs.Question{{ID: "Q-THEIRS", ChatID: other, UserID: other, Text: "别人的问题", At: at}}})
	commit(t, db, 1, "staff", dialogs.Effects{Flags: []dialogs.Flag{{Chat: me, Name: dialogs.FlagAwaiting, Value: "JC-2026-000001"}}})
	if _, err := db.Reserve(ctx, "draft-me", 2026); err != nil {
		t.Fatal(err)
	}

	commit(t, db, me, "forget", dialogs.Effects{Forget: &dialogs.Forget{Chat: me, Drafts: []string{"draft-me"}}})

	l, err := db.Load(ctx, dialogs.SessionKey{Chat: me, User: me}, "x")
	if err != nil || l.Session.Lang != "" || l.Session.Awaiting != "" {
		t.Errorf("preferences left: %+v %v", l.Session, err)
	}
	if n := r.c.Exists(ctx, r.prefix+"{pb}:p:7", r.prefix+"{pb}:draft:draft-me").Val(); n != 0 {
		t.Errorf("%d of the preferences and the reservation left", n)
	}
	if _, err := db.Question(ctx, "Q-MINE"); !errors.Is(err, dialogs.ErrNotFound) {
		t.Errorf("my question: %v", err)
	}
	if _, err := db.Question(ctx, "Q-THEIRS"); err != nil {
		t.Errorf("the other chat's question: %v", err)
	}
	st, err := db.KBStats(ctx)
	if err != nil || len(st.Unanswered) != 1 || st.Unanswered[0].Question != "their question" {
		t.Errorf("unanswered after the forget: %+v %v", st.Unanswered, err)
	}
	if found := rawContains(t, r, "qchat"); len(found) != 1 {
		t.Errorf("question indexes left: %v (want the other chat's only)", found)
	}

	// Staff answer the erased question: the answer is sent, the question stays erased.
	commit(t, db, 1, "answer", dialogs.Effects{Questions: []dialogs.Question{{ID: "Q-MINE", ChatID: me, Text: "我家的地被征收了", At: at, Answered: at}}})
	if _, err := db.Question(ctx, "Q-MINE"); !errors.Is(err, dialogs.ErrNotFound) {
		t.Errorf("the answer recreated the question: %v", err)
	}
}

// TestQuestionsExpire: a handed-off question and its index expire after the retention.
func TestQuestionsExpire(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	db := keyedDB(r, ring(t, newKey(t)))
	commit(t, db, 7, "u", dialogs.Effects{Questions: []dialogs.Question{{ID: "Q-1", ChatID: 7, Text: "问题"}}})
	ttl := r.c.TTL(ctx, r.prefix+"{pb}:question:Q-1").Val()
	if ttl < 3*364*24*time.Hour || ttl > 3*366*24*time.Hour {
		t.Errorf("question ttl %v, want the 3-year retention", ttl)
	}
}
