package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// TestCommitClaimsEveryRecipient: one commit addressed to a petitioner, the staff chat and
// a staff user claims all three for the committing process, in order per recipient.
func TestCommitClaimsEveryRecipient(t *testing.T) {
	db, _, _, _ := newDB(t)
	fx := dialogs.Effects{Deliveries: []dialogs.Delivery{
		to(9, "u/0", "a"), {ID: "u/1", To: dialogs.ToStaff(), Msg: msg("b"), Card: "card:JC-1"},
		to(501, "u/2", "c"), to(9, "u/3", "d"),
	}}
	batches := commit(t, db, 9, "u", fx)
	got := map[string][]string{}
	for _, b := range batches {
		got[b.To.String()] = ids(b)
		if b.Lease == "" {
			t.Fatal("a batch without a claim")
		}
	}
	want := map[string][]string{"chat:9": {"u/0", "u/3"}, "staff": {"u/1"}, "chat:501": {"u/2"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("claimed (-want +got):\n%s", diff)
	}
}

// TestOneSenderPerRecipient: while one sender holds a recipient, a new commit for it is
// not claimed again; the holder finds it when it acknowledges, and nothing is lost or
// handed out twice.
func TestOneSenderPerRecipient(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	first := commit(t, db, 9, "u1", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u1/0", "a")}})
	if len(first) != 1 {
		t.Fatalf("%d batches", len(first))
	}
	if again := commit(t, db, 9, "u2", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u2/0", "b")}}); len(again) != 0 {
		t.Fatalf("a held recipient was claimed again: %v", again)
	}
	if swept, _, _ := db.Claim(ctx, 10); len(swept) != 0 {
		t.Fatalf("a sweeper claimed a held recipient: %v", swept)
	}
	next, more, err := db.Done(ctx, first[0], dialogs.Sent{N: 1})
	if err != nil || !more || !cmp.Equal(ids(next), []string{"u2/0"}) {
		t.Fatalf("after the first ack: %v %v %v", ids(next), more, err)
	}
	// A second ack of what was already acknowledged removes nothing more.
	if _, _, err := db.Done(ctx, first[0], dialogs.Sent{N: 1}); err != nil {
		t.Fatal(err)
	}
	if _, more, err := db.Done(ctx, next, dialogs.Sent{N: 1}); err != nil || more {
		t.Fatalf("last ack: %v %v", more, err)
	}
	// Released and empty: the next commit is claimed at once.
	if b := commit(t, db, 9, "u3", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u3/0", "c")}}); len(b) != 1 || len(b[0].Items) != 1 {
		t.Fatalf("after release: %v", b)
	}
}

// twoSenders returns two processes' stores on one key space, with a 300 ms lease and a
// clock of their own.
func twoSenders(t *testing.T) (a, b *store.DB, c *clock) {
	rdb := dbClient(t)
	c = newClock()
	opt := store.Options{Prefix: rdb.prefix, Lease: 300 * time.Millisecond, Now: c.now}
	return store.New(rdb.c, opt), store.New(rdb.c, opt), c
}

// TestCrashedSenderTakenOver: a claim that is neither renewed nor acknowledged expires;
// a sweeper takes it over with everything still waiting, and the old holder can no
// longer acknowledge or renew.
func TestCrashedSenderTakenOver(t *testing.T) {
	ctx := context.Background()
	a, b, c := twoSenders(t)
	held := commit(t, a, 9, "u1", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u1/0", "a"), to(9, "u1/1", "b")}})
	commit(t, a, 9, "u2", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u2/0", "c")}})
	if got, _, _ := b.Claim(ctx, 10); len(got) != 0 {
		t.Fatal("claimed before the lease expired")
	}
	time.Sleep(400 * time.Millisecond) // the lease lives in Redis' own clock
	c.advance(time.Second)
	got, _, err := b.Claim(ctx, 10)
	if err != nil || len(got) != 1 || !cmp.Equal(ids(got[0]), []string{"u1/0", "u1/1", "u2/0"}) {
		t.Fatalf("take-over: %v %v", got, err)
	}
	if _, _, err := a.Done(ctx, held[0], dialogs.Sent{N: 2}); !errors.Is(err, dialogs.ErrLeaseLost) {
		t.Fatalf("the old holder's ack: %v, want ErrLeaseLost", err)
	}
	if err := a.Renew(ctx, held[0]); !errors.Is(err, dialogs.ErrLeaseLost) {
		t.Fatalf("the old holder's renewal: %v", err)
	}
	if _, more, err := b.Done(ctx, got[0], dialogs.Sent{N: 3}); err != nil || more {
		t.Fatalf("new holder's ack: %v %v", more, err)
	}
}

// TestExpiredClaimTakenAgain: a claim that expired while its holder could not reach
// storage, with nobody else taking it, is taken again by the holder's renewal or
// acknowledgement (which removes only what it names); once another sender claimed it, the
// old holder is refused.
func TestExpiredClaimTakenAgain(t *testing.T) {
	ctx := context.Background()
	a, b, c := twoSenders(t)
	held := commit(t, a, 9, "u1", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u1/0", "a"), to(9, "u1/1", "b"), to(9, "u1/2", "c")}})
	expire := func() {
		t.Helper()
		time.Sleep(400 * time.Millisecond) // the lease lives in Redis' own clock
	}
	expire()
	if err := a.Renew(ctx, held[0]); err != nil {
		t.Fatalf("renewing an expired claim nobody took: %v", err)
	}
	expire()
	next, more, err := a.Done(ctx, held[0], dialogs.Sent{N: 1})
	if err != nil || !more || !cmp.Equal(ids(next), []string{"u1/1", "u1/2"}) {
		t.Fatalf("acknowledging after the claim expired: %v %v %v", ids(next), more, err)
	}
	if got, _, _ := b.Claim(ctx, 10); len(got) != 0 {
		t.Fatal("the claim taken again was claimed by a sweeper")
	}
	expire()
	c.advance(time.Second)
	got, _, err := b.Claim(ctx, 10)
	if err != nil || len(got) != 1 || !cmp.Equal(ids(got[0]), []string{"u1/1", "u1/2"}) {
		t.Fatalf("take-over: %v %v", got, err)
	}
	if _, _, err := a.Done(ctx, next, dialogs.Sent{N: 2}); !errors.Is(err, dialogs.ErrLeaseLost) {
		t.Fatalf("the old holder's ack after a take-over: %v, want ErrLeaseLost", err)
	}
}

// TestStaleBatchRefused: a sender whose claim expired while it waited, and whose deliveries
// another sender took over, sent and acknowledged meanwhile, can neither renew nor mark
// its stale batch, so it cannot send them again, even though nobody holds the recipient
// any more; a newer delivery is then claimed afresh.
func TestStaleBatchRefused(t *testing.T) {
	ctx := context.Background()
	a, b, c := twoSenders(t)
	stale := commit(t, a, 9, "u1", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u1/0", "a")}})
	time.Sleep(400 * time.Millisecond) // a's lease expires in Redis' own clock
	c.advance(time.Second)
	got, _, err := b.Claim(ctx, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("take-over: %v %v", got, err)
	}
	if _, more, err := b.Done(ctx, got[0], dialogs.Sent{N: 1}); err != nil || more {
		t.Fatalf("the new holder's ack: %v %v", more, err)
	}
	if err := a.Mark(ctx, stale[0], "u1/0", true); !errors.Is(err, dialogs.ErrLeaseLost) {
		t.Fatalf("marking a delivery sent by another sender: %v, want ErrLeaseLost", err)
	}
	if err := a.Renew(ctx, stale[0]); !errors.Is(err, dialogs.ErrLeaseLost) {
		t.Fatalf("renewing a stale batch: %v, want ErrLeaseLost", err)
	}
	next := commit(t, a, 9, "u2", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u2/0", "b")}})
	if len(next) != 1 || !cmp.Equal(ids(next[0]), []string{"u2/0"}) {
		t.Fatalf("after the stale batch: %v", next)
	}
}

// TestRetryLater: a batch released after a failure waits RetryIn before a sweeper may
// claim it, with the parts of a long message already sent remembered.
func TestRetryLater(t *testing.T) {
	ctx := context.Background()
	db, _, _, c := newDB(t)
	b := commit(t, db, 9, "u", dialogs.Effects{Deliveries: []dialogs.Delivery{to(9, "u/0", "long"), to(9, "u/1", "next")}})[0]
	if err := db.Progress(ctx, b, "u/0", 2); err != nil {
		t.Fatal(err)
	}
	if _, more, err := db.Done(ctx, b, dialogs.Sent{N: 0, RetryIn: 5000}); err != nil || more {
		t.Fatalf("release: %v %v", more, err)
	}
	got, next, err := db.Claim(ctx, 10)
	if err != nil || len(got) != 0 || !next.Equal(c.now().Add(5*time.Second)) {
		t.Fatalf("before its time: %v next %v (want %v) %v", got, next, c.now().Add(5*time.Second), err)
	}
	c.advance(5 * time.Second)
	got, _, err = db.Claim(ctx, 10)
	if err != nil || len(got) != 1 || got[0].Items[0].PartsSent != 2 || got[0].Items[1].PartsSent != 0 {
		t.Fatalf("after its time: %+v %v", got, err)
	}
	if err := db.Progress(ctx, got[0], "u/1", 1); err == nil {
		t.Fatal("progress of an item that is not the head must be refused")
	}
}

// TestCardsKept: a card's message id, kept when it was first sent, comes with every later
// delivery of the same card.
func TestCardsKept(t *testing.T) {
	ctx := context.Background()
	db, _, _, _ := newDB(t)
	card := func(id string) dialogs.Delivery {
		return dialogs.Delivery{ID: id, To: dialogs.ToStaff(), Msg: msg("card"), Card: "card:JC-2026-000001"}
	}
	b := commit(t, db, 9, "u1", dialogs.Effects{Deliveries: []dialogs.Delivery{card("u1/0")}})[0]
	if b.Items[0].CardMsg != "" {
		t.Fatalf("a new card has a message: %q", b.Items[0].CardMsg)
	}
	if _, _, err := db.Done(ctx, b, dialogs.Sent{N: 1, Kept: map[string]string{"card:JC-2026-000001": "-100:77"}}); err != nil {
		t.Fatal(err)
	}
	b = commit(t, db, 1, "u2", dialogs.Effects{Deliveries: []dialogs.Delivery{card("u2/0")}})[0]
	if b.Items[0].CardMsg != "-100:77" {
		t.Fatalf("kept message %q", b.Items[0].CardMsg)
	}
}
