package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// applicant is a submitted case with personal data.
func applicant(number string, chat int64, name, phone string, submitted time.Time) dialogs.Case {
	return dialogs.Case{Number: number, ChatID: chat, UserID: chat, Source: dialogs.SourceApplication, Lang: "zh-Hans",
		Status: dialogs.StatusSubmitted, Submitted: submitted, Version: 1,
		Values:  map[string]string{"name": name, "phone": phone, "dispute": "land", "facts": "镇政府征收我家承包地，至今没有支付补偿款"},
		History: []dialogs.Event{{Time: submitted, Action: dialogs.ActSubmit, Status: dialogs.StatusSubmitted, By: "petitioner"}}}
}

// rawContains lists the keys under the test's prefix whose name or any value (strings,
// hash fields and values, list, set and sorted-set members) contains one of words.
func rawContains(t *testing.T, r testRedis, words ...string) []string {
	t.Helper()
	ctx := context.Background()
	var found []string
	it := r.c.Scan(ctx, 0, r.prefix+"*", 500).Iterator()
	for it.Next(ctx) {
		k := it.Val()
		var vals []string
		switch r.c.Type(ctx, k).Val() {
		case "string":
			vals = []string{r.c.Get(ctx, k).Val()}
		case "hash":
			for f, v := range r.c.HGetAll(ctx, k).Val() {
				vals = append(vals, f, v)
			}
		case "list":
			vals = r.c.LRange(ctx, k, 0, -1).Val()
		case "set":
			vals = r.c.SMembers(ctx, k).Val()
		case "zset":
			vals = r.c.ZRange(ctx, k, 0, -1).Val()
		}
		for _, w := range words {
			if strings.Contains(k, w) || strings.Contains(strings.Join(vals, "\x00"), w) {
				found = append(found, k+" has "+w)
			}
		}
	}
	return found
}

func TestFindByKeyedHash(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	db := keyedDB(r, ring(t, newKey(t)))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, shanghai)
	c := applicant("JC-2026-000001", 7, "张三", "13812345678", at)
	commit(t, db, 7, "new", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}})
	commit(t, db, 8, "other", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: applicant("JC-2026-000002", 8, "李四", "13900001111", at)}}})

	tests := []struct {
		name, query string
		want        []string
	}{
		{"name", "张三", []string{"JC-2026-000001"}},
		{"name with spaces", " 张 三 ", []string{"JC-2026-000001"}},
		{"phone with separators", "138-1234-5678", []string{"JC-2026-000001"}},
		{"phone with country code", "+86 13812345678", []string{"JC-2026-000001"}},
		{"part of a phone", "5678", nil},
		{"part of a name", "张", nil},
		{"nobody", "王五", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Find(ctx, dialogs.QueryTerms(tt.query))
			if err != nil {
				t.Fatal(err)
			}
			var numbers []string
			for _, c := range got {
				numbers = append(numbers, c.Number)
			}
			if strings.Join(numbers, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("found %v, want %v", numbers, tt.want)
			}
		})
	}
	if found := rawContains(t, r, "张三", "13812345678", "补偿款"); len(found) > 0 {
		t.Fatalf("plaintext in Redis: %v", found)
	}

	// A changed phone: the old one no longer finds the case, though its index entry stays.
	c.Values["phone"], c.Version = "13700002222", 2
	commit(t, db, 7, "edit", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c, Expect: 1}}})
	if got, _ := db.Find(ctx, dialogs.QueryTerms("13812345678")); len(got) != 0 {
		t.Fatalf("the old phone still finds %d cases", len(got))
	}
	if got, _ := db.Find(ctx, dialogs.QueryTerms("13700002222")); len(got) != 1 {
		t.Fatalf("the new phone finds %d cases", len(got))
	}
}

// TestIndexesAcrossRotation: after a key rotation, the per-chat index and /find still
// find cases indexed under the previous key; the index keys name no chat id.
func TestIndexesAcrossRotation(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey := newKey(t)
	old := keyedDB(r, ring(t, oldKey))
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, shanghai)
	commit(t, old, 4242, "a", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: applicant("JC-2026-000001", 4242, "张三", "13812345678", at)}}})
	if n := r.c.Exists(ctx, r.prefix+"{pb}:bychat:4242").Val(); n != 0 {
		t.Fatal("the per-chat index is named by the chat id")
	}
	rotated := keyedDB(r, ring(t, newKey(t), oldKey))
	commit(t, rotated, 4242, "b", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: applicant("JC-2026-000002", 4242, "张三", "13812345678", at.Add(time.Hour))}}})
	list, err := rotated.ByChat(ctx, 4242)
	if err != nil || len(list) != 2 || list[0].Number != "JC-2026-000002" || list[1].Number != "JC-2026-000001" {
		t.Fatalf("by chat across the rotation: %v %v", numbersOf(list), err)
	}
	found, err := rotated.Find(ctx, dialogs.QueryTerms("张三"))
	if err != nil || len(found) != 2 {
		t.Fatalf("find across the rotation: %v %v", numbersOf(found), err)
	}
}

func numbersOf(cs []dialogs.Case) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

// TestFlagsEncrypted: a flag's value is not stored in plaintext; a conditional clear
// still works, across a rotation too.
func TestFlagsEncrypted(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	oldKey := newKey(t)
	old := keyedDB(r, ring(t, oldKey))
	commit(t, old, 1, "staff", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 9, Name: dialogs.FlagAwaiting, Value: "JC-2026-000003"}}})
	if found := rawContains(t, r, "JC-2026-000003"); len(found) > 0 {
		t.Fatalf("a flag in plaintext: %v", found)
	}
	rotated := keyedDB(r, ring(t, newKey(t), oldKey))
	key := dialogs.SessionKey{Chat: 9, User: 9}
	if l, _ := rotated.Load(ctx, key, "x"); l.Session.Awaiting != "JC-2026-000003" {
		t.Fatalf("awaiting %q after the rotation", l.Session.Awaiting)
	}
	commit(t, rotated, 1, "other", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 9, Name: dialogs.FlagAwaiting, IfValue: "JC-2026-000004"}}})
	if l, _ := rotated.Load(ctx, key, "x"); l.Session.Awaiting != "JC-2026-000003" {
		t.Fatal("a clear for another value cleared the flag")
	}
	commit(t, rotated, 1, "clear", dialogs.Effects{Flags: []dialogs.Flag{{Chat: 9, Name: dialogs.FlagAwaiting, IfValue: "JC-2026-000003"}}})
	if l, _ := rotated.Load(ctx, key, "x"); l.Session.Awaiting != "" {
		t.Fatalf("the flag written under the previous key was not cleared: %q", l.Session.Awaiting)
	}
}

// TestCaseWriteAfterErasureConflicts: a staff action read before an erasure cannot
// write the personal data back.
func TestCaseWriteAfterErasureConflicts(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	now := time.Date(2030, 3, 1, 9, 0, 0, 0, shanghai)
	db := store.New(r.c, store.Options{Prefix: r.prefix, Keys: ring(t, newKey(t)), Now: func() time.Time { return now }})
	c := applicant("JC-2026-000001", 7, "张三", "13812345678", now.AddDate(-4, 0, 0))
	c.Status, c.Closed, c.Outcome = dialogs.StatusClosed, now.AddDate(-3, 0, -1), dialogs.OutcomeSettled
	commit(t, db, 7, "new", dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}})
	read, _ := db.Get(ctx, c.Number)
	if n, _, err := db.EraseClosed(ctx, now.AddDate(-3, 0, 0), 10); err != nil || n != 1 {
		t.Fatalf("erased %d: %v", n, err)
	}
	read.Version++
	_, err := db.Commit(ctx, dialogs.SessionKey{Chat: 1, User: 1}, "late", 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: read, Expect: read.Version - 1}}})
	if !errors.Is(err, dialogs.ErrConflict) {
		t.Fatalf("a write read before the erasure: %v, want ErrConflict", err)
	}
}
