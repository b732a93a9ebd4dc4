package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

func randomKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, store.KeySize)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func keyedStore(t *testing.T, rdb *redis.Client, prefix string, keys ...string) *store.DB {
	t.Helper()
	var raw [][]byte
	for _, k := range keys {
		b, err := store.ParseKey(k)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, b)
	}
	ring, err := store.NewKeyring(raw[0], raw[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return store.New(rdb, store.Options{Prefix: prefix, Keys: ring})
}

// TestRekeyCommand: "petitionbot rekey" re-encrypts under DATA_KEY what was written under
// DATA_KEY_PREVIOUS; stopped with --max-keys it says so and exits 1, the next run
// resumes and finishes; afterwards the previous key is not needed.
func TestRekeyCommand(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := redistest.New(t)
	oldKey, newKey := randomKey(t), randomKey(t)
	old := keyedStore(t, rdb, prefix, oldKey)
	for i := range 30 {
		key := dialogs.SessionKey{Chat: int64(100 + i), User: int64(100 + i)}
		s := dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: fmt.Sprint(i), Values: map[string]string{"name": "张三"}}}
		if _, err := old.Commit(ctx, key, "u", 0, dialogs.Effects{Session: s}); err != nil {
			t.Fatal(err)
		}
	}
	getenv := func(k string) string {
		return map[string]string{"REDIS_URL": redistest.URL(), "REDIS_PREFIX": prefix, "DATA_KEY": newKey, "DATA_KEY_PREVIOUS": oldKey}[k]
	}
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"petitionbot", "rekey", "--max-keys", "5"}, getenv, nil, &out, &errOut)
	if !errors.Is(err, errRekeyIncomplete) || !strings.HasPrefix(out.String(), "rekey stopped") {
		t.Fatalf("a stopped run: %v, %q %q", err, out.String(), errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"petitionbot", "rekey"}, getenv, nil, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "rekey done, resumed") {
		t.Fatalf("the resumed run: %v, %q %q", err, out.String(), errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), newKey) || strings.Contains(out.String(), oldKey) {
		t.Fatal("a key was printed")
	}
	fresh := keyedStore(t, rdb, prefix, newKey)
	for i := range 30 {
		l, err := fresh.Load(ctx, dialogs.SessionKey{Chat: int64(100 + i), User: int64(100 + i)}, "x")
		if err != nil || l.Session.Draft == nil {
			t.Fatalf("chat %d after rekey: %v", 100+i, err)
		}
	}
}

func TestRekeyCommandRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no Redis", nil, map[string]string{"DATA_KEY": testDataKey}, "rekey needs REDIS_URL"},
		{"no key", nil, map[string]string{"REDIS_URL": "redis://127.0.0.1:1"}, "openssl rand -base64 32"},
		{"bad flag", []string{"--fast"}, nil, "usage: petitionbot rekey"},
		{"negative limit", []string{"--max-keys", "-1"}, nil, "usage: petitionbot rekey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"petitionbot", "rekey"}, tt.args...), func(k string) string { return tt.env[k] }, nil, &out, &errOut)
			if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), tt.want) {
				t.Fatalf("%v, stderr %q, want %q", err, errOut.String(), tt.want)
			}
		})
	}
}

// TestEraseLoop: the bot's loop erases a case closed longer than the retention ago, and
// logs how many without naming anyone.
func TestEraseLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdb, prefix := redistest.New(t)
	db := testStore(t, rdb, prefix)
	closed := time.Now().Add(-2 * time.Hour)
	c := dialogs.Case{Number: "JC-2026-000001", ChatID: 7, Version: 1, Status: dialogs.StatusWithdrawn, Submitted: closed.Add(-time.Hour),
		Closed: closed, Values: map[string]string{"name": "张三", "dispute": "land"}}
	if _, err := db.Commit(ctx, dialogs.SessionKey{Chat: 7, User: 7}, "u", 0, dialogs.Effects{Cases: []dialogs.CaseWrite{{Case: c}}}); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	done := make(chan struct{})
	go func() {
		eraseLoop(ctx, db, time.Hour, 10*time.Millisecond, slog.New(slog.NewTextHandler(logs, nil)))
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := db.Get(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Erased.IsZero() {
			if got.Values["name"] != "" || got.Values["dispute"] != "land" {
				t.Fatalf("erased case values %v", got.Values)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop never erased the case")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if text := logs.String(); !strings.Contains(text, "cases=1") || strings.Contains(text, "张三") {
		t.Fatalf("log %q", text)
	}
}
