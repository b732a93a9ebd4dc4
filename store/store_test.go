package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

var shanghai = time.FixedZone("CST", 8*3600)

func TestSessionCommitLoadSeen(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	s := store.NewSessions(rdb, prefix, time.Hour)

	got, seen, err := s.Load(ctx, 42, "u1")
	if err != nil || got.Draft != nil || got.Lang != "" || seen {
		t.Fatalf("new chat: %+v %v", got, err)
	}
	sess := dialogs.Session{Lang: "en", Active: true, Draft: &dialogs.Draft{ID: "d1", Field: "name", Values: map[string]string{"consent": "yes"}}}
	out := []dialogs.Message{{Lang: "en", Parts: []dialogs.Text{dialogs.T("ask.name")}}, {Lang: "en", Parts: []dialogs.Text{dialogs.T("stale")}}}
	if err := s.Commit(ctx, 42, "u1", sess, out); err != nil {
		t.Fatal(err)
	}
	got, seen, err = s.Load(ctx, 42, "u1")
	if err != nil || !seen {
		t.Fatalf("after commit: seen %v, %v", seen, err)
	}
	if diff := cmp.Diff(sess, got); diff != "" {
		t.Fatalf("loaded session differs (-want +got):\n%s", diff)
	}
	if _, seen, _ := s.Load(ctx, 42, "u2"); seen {
		t.Fatal("u2 seen before commit")
	}
	if ttl := rdb.TTL(ctx, prefix+"{chat:42}:session").Val(); ttl <= 0 || ttl > time.Hour {
		t.Fatalf("session ttl %v", ttl)
	}
	if ttl := rdb.TTL(ctx, prefix+"{chat:42}:prefs").Val(); ttl != -1 {
		t.Fatalf("prefs must not expire, ttl %v", ttl)
	}

	chats, err := s.OutboxChats(ctx)
	if err != nil || !cmp.Equal(chats, []int64{42}) {
		t.Fatalf("outbox chats %v %v", chats, err)
	}
	for _, want := range out {
		o, ok, err := s.Pending(ctx, 42)
		if err != nil || !ok {
			t.Fatalf("pending: %v %v", ok, err)
		}
		if diff := cmp.Diff(want, o.Message); diff != "" {
			t.Fatalf("outbox order (-want +got):\n%s", diff)
		}
		if err := s.Ack(ctx, 42, o); err != nil {
			t.Fatal(err)
		}
		// A second ack of the same message (another sender) must not remove the next one.
		if err := s.Ack(ctx, 42, o); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := s.Pending(ctx, 42); ok {
		t.Fatal("outbox not empty after acks")
	}

	// Deleting everything removes both keys.
	if err := s.Commit(ctx, 42, "u2", dialogs.Session{}, nil); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, prefix+"{chat:42}:session", prefix+"{chat:42}:prefs").Val(); n != 0 {
		t.Fatalf("%d keys left after deleting the session", n)
	}
}

func newCase(draft string, chat int64, at time.Time) dialogs.Case {
	return dialogs.Case{DraftID: draft, ChatID: chat, Status: dialogs.StatusSubmitted, Submitted: at,
		Values: map[string]string{"name": "张三"}}
}

func TestSubmitIsIdempotentAndNumbered(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	cs := store.NewCases(rdb, prefix, "JC", shanghai)
	// 31 Dec 2025 20:00 UTC is already 2026 in Shanghai.
	at := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)

	var wg sync.WaitGroup
	numbers := make([]string, 8)
	for i := range numbers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := cs.Submit(ctx, newCase("draft-a", 7, at))
			if err != nil {
				t.Error(err)
			}
			numbers[i] = n
		}()
	}
	wg.Wait()
	for _, n := range numbers {
		if n != numbers[0] {
			t.Fatalf("one draft gave several numbers: %v", numbers)
		}
	}
	if n, _ := cs.Submit(ctx, newCase("draft-b", 7, at)); n <= numbers[0] || n[:8] != "JC-2026-" {
		t.Fatalf("second case %q after %q", n, numbers[0])
	}
	list, err := cs.ByChat(ctx, 7)
	if err != nil || len(list) != 2 {
		t.Fatalf("by chat: %d cases, %v", len(list), err)
	}
	var notices []store.Notice
	for {
		n, ok, err := cs.NextNotice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		notices = append(notices, n)
		cs.AckNotice(ctx, n)
	}
	if len(notices) != 2 || notices[0].Kind != store.NoticeNew {
		t.Fatalf("notices %+v", notices)
	}
	if n, _ := cs.Submit(ctx, newCase("draft-c", 7, time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))); n != "JC-2027-000001" {
		t.Fatalf("new year restarts at 1, got %q", n)
	}
}

func TestWithdraw(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	cs := store.NewCases(rdb, prefix, "JC", shanghai)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	no, err := cs.Submit(ctx, newCase("d", 9, at))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := cs.NextNotice(ctx)
	cs.AckNotice(ctx, first)
	if _, err := cs.Withdraw(ctx, 10, no, at, "u1"); !errors.Is(err, dialogs.ErrNotFound) {
		t.Fatalf("someone else's case: %v", err)
	}
	if ok, err := cs.Withdraw(ctx, 9, no, at, "u2"); !ok || err != nil {
		t.Fatalf("withdraw: %v %v", ok, err)
	}
	if ok, err := cs.Withdraw(ctx, 9, no, at, "u2"); !ok || err != nil {
		t.Fatalf("a retry of the same update must answer the same: %v %v", ok, err)
	}
	if ok, err := cs.Withdraw(ctx, 9, no, at, "u3"); ok || err != nil {
		t.Fatalf("second withdraw: %v %v", ok, err)
	}
	c, err := cs.Get(ctx, no)
	if err != nil || c.Status != dialogs.StatusWithdrawn || len(c.History) != 1 {
		t.Fatalf("case after withdraw: %+v %v", c, err)
	}
	n, ok, _ := cs.NextNotice(ctx)
	if !ok || n.Kind != store.NoticeWithdrawn || n.Number != no {
		t.Fatalf("notice %+v", n)
	}
}

// TestCommitTwice: a second commit of the same update (another instance handling a
// redelivery) stores nothing and says so.
func TestCommitTwice(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	s := store.NewSessions(rdb, prefix, time.Hour)
	out := []dialogs.Message{{Lang: "en", Parts: []dialogs.Text{dialogs.T("stale")}}}
	if err := s.Commit(ctx, 7, "u", dialogs.Session{Active: true}, out); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, 7, "u", dialogs.Session{}, out); !errors.Is(err, dialogs.ErrDuplicate) {
		t.Fatalf("second commit: %v, want ErrDuplicate", err)
	}
	if n := rdb.LLen(ctx, prefix+"{chat:7}:outbox").Val(); n != 1 {
		t.Fatalf("%d messages queued, want 1", n)
	}
	if got, _, _ := s.Load(ctx, 7, "x"); !got.Active {
		t.Fatal("the second commit overwrote the session")
	}
}
