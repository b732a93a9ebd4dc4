package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// TestEraseClosedKeepsStatistics: the personal data of a case closed longer ago than the
// retention is erased, with its index entries; the statistics and the export without
// "full" stay as they were; a second run changes nothing; recent and open cases keep
// everything.
func TestEraseClosedKeepsStatistics(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	now := time.Date(2030, 3, 1, 9, 0, 0, 0, shanghai)
	db := store.New(r.c, store.Options{Prefix: r.prefix, Keys: ring(t, newKey(t)), Now: func() time.Time { return now }})

	old := applicant("JC-2026-000001", 7, "张三", "13812345678", now.AddDate(-4, 0, 0))
	old.Status, old.Accepted, old.Closed, old.Outcome = dialogs.StatusClosed, now.AddDate(-4, 0, 5), now.AddDate(-3, 0, -1), dialogs.OutcomeSettled
	old.Assignee = dialogs.Staffer{ID: 900, Name: "王检察官"}
	old.Docs = []dialogs.Attachment{{FileID: "f1", Name: "张三身份证.jpg", Type: "photo"}}
	old.Rectifications = []dialogs.Rectification{{Body: "某某镇人民政府", Content: "向张三支付补偿款", Due: now.AddDate(-3, 1, 0), Issued: now.AddDate(-3, 0, -20), Adopted: now.AddDate(-3, 0, -2)}}
	old.Hearing = &dialogs.Hearing{At: now.AddDate(-3, 0, -10), Place: "本院听证室", Officers: []dialogs.Officer{{Role: dialogs.OfficerDeputy, Name: "赵代表"}}}
	old.History = append(old.History, dialogs.Event{Time: old.Closed, Action: dialogs.ActClose, Status: dialogs.StatusClosed, By: "staff:900", Name: "王检察官", Note: "张三同意和解"})
	recent := applicant("JC-2029-000001", 8, "李四", "13900001111", now.AddDate(-2, 0, 0))
	recent.Status, recent.Closed, recent.Outcome = dialogs.StatusWithdrawn, now.AddDate(-1, 0, 0), dialogs.OutcomeWithdrawn
	open := applicant("JC-2026-000002", 9, "王五", "13700002222", now.AddDate(-5, 0, 0))
	for i, c := range []dialogs.Case{old, recent, open} {
		commit(t, db, c.ChatID, "new"+string(rune('a'+i)), dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}})
	}
	before, _ := db.List(ctx)
	loc := shanghai
	from, to := now.AddDate(-10, 0, 0), now
	statsBefore := dialogs.ComputeStats(before, now, loc)
	csvBefore, _ := dialogs.ExportCSV(before, from, to, false, now, loc)

	n, more, err := db.EraseClosed(ctx, now.AddDate(-3, 0, 0), 10)
	if err != nil || n != 1 || more {
		t.Fatalf("erased %d (more %v): %v", n, more, err)
	}
	after, _ := db.List(ctx)
	if diff := cmp.Diff(statsBefore, dialogs.ComputeStats(after, now, loc)); diff != "" {
		t.Errorf("statistics changed (-before +after):\n%s", diff)
	}
	if csvAfter, _ := dialogs.ExportCSV(after, from, to, false, now, loc); string(csvAfter) != string(csvBefore) {
		t.Errorf("export changed:\n%s\n%s", csvBefore, csvAfter)
	}
	e, _ := db.Get(ctx, old.Number)
	if e.Erased.IsZero() || e.ChatID != 0 || e.Values["name"] != "" || e.Values["phone"] != "" || e.Values["facts"] != "" ||
		len(e.Docs) != 0 || e.Rectifications[0].Content != "" || e.Hearing.Place != "" || len(e.Hearing.Officers) != 0 || e.Assignee.Name != "" {
		t.Errorf("personal data left: %+v", e)
	}
	for _, ev := range e.History {
		if ev.Note != "" || ev.Name != "" {
			t.Errorf("an event keeps %q %q", ev.Note, ev.Name)
		}
	}
	if e.Version != old.Version+1 || e.History[len(e.History)-1].Action != dialogs.ActErase {
		t.Errorf("the erasure is not a new version with its event: v%d %v", e.Version, e.History[len(e.History)-1])
	}
	if got, _ := db.Find(ctx, dialogs.QueryTerms("张三")); len(got) != 0 {
		t.Error("the erased case is still found by name")
	}
	if got, _ := db.ByChat(ctx, 7); len(got) != 0 {
		t.Error("the erased case is still listed for its chat")
	}
	for _, c := range []dialogs.Case{recent, open} {
		if got, _ := db.Get(ctx, c.Number); got.Values["name"] != c.Values["name"] || !got.Erased.IsZero() {
			t.Errorf("%s lost its data", c.Number)
		}
	}
	if n, _, err := db.EraseClosed(ctx, now.AddDate(-3, 0, 0), 10); err != nil || n != 0 {
		t.Fatalf("a second run erased %d: %v", n, err)
	}
	if got, _ := db.Get(ctx, old.Number); got.Version != e.Version {
		t.Error("a second run wrote the erased case again")
	}
}

// TestEraseQueueFollowsReopening: a reopened case leaves the queue; closing it again
// queues it from the new closing date.
func TestEraseQueueFollowsReopening(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	now := time.Date(2030, 3, 1, 9, 0, 0, 0, shanghai)
	db := store.New(r.c, store.Options{Prefix: r.prefix, Keys: ring(t, newKey(t)), Now: func() time.Time { return now }})
	c := applicant("JC-2026-000001", 7, "张三", "13812345678", now.AddDate(-5, 0, 0))
	c.Status, c.Closed = dialogs.StatusClosed, now.AddDate(-4, 0, 0)
	commit(t, db, 7, "new", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}})
	c.Status, c.Closed, c.Version = dialogs.StatusTalks, time.Time{}, 2
	commit(t, db, 1, "reopen", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: 1}}})
	if n, _, _ := db.EraseClosed(ctx, now.AddDate(-3, 0, 0), 10); n != 0 {
		t.Fatal("a reopened case was erased")
	}
	c.Status, c.Closed, c.Version = dialogs.StatusClosed, now.AddDate(0, -1, 0), 3
	commit(t, db, 1, "close", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: 2}}})
	if n, _, _ := db.EraseClosed(ctx, now.AddDate(-3, 0, 0), 10); n != 0 {
		t.Fatal("a case closed a month ago was erased")
	}
	if n, _, _ := db.EraseClosed(ctx, now, 10); n != 1 {
		t.Fatal("the case closed again is not in the queue")
	}
}
