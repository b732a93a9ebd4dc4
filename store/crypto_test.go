package store_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, store.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func ring(t *testing.T, current []byte, previous ...[]byte) *store.Keyring {
	t.Helper()
	r, err := store.NewKeyring(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// keyedDB is a DB on the test's key space with the given keys.
func keyedDB(r testRedis, keys *store.Keyring) *store.DB {
	return store.New(r.c, store.Options{Prefix: r.prefix, SessionTTL: time.Hour, Keys: keys})
}

var secretDraft = dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: "d1", Field: "phone",
	Values: map[string]string{"name": "张三", "id_number": "520502198506120033"}}}

func commitSession(t *testing.T, db *store.DB, chat int64, update string, s dialogs.Session) {
	t.Helper()
	ctx := context.Background()
	key := dialogs.SessionKey{Chat: chat, User: chat}
	l, err := db.Load(ctx, key, update)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Commit(ctx, key, update, l.Version, dialogs.Effects{Session: s}); err != nil {
		t.Fatal(err)
	}
}

func rawSession(t *testing.T, r testRedis, chat string) string {
	t.Helper()
	_, d, _ := strings.Cut(r.c.Get(context.Background(), r.prefix+"{pb}:s:"+chat+":"+chat).Val(), ":")
	return d
}

func loadErr(db *store.DB, chat int64) (dialogs.Session, error) {
	l, err := db.Load(context.Background(), dialogs.SessionKey{Chat: chat, User: chat}, "x")
	return l.Session, err
}

func TestEncryptionRoundTrip(t *testing.T) {
	r := dbClient(t)
	keys := ring(t, newKey(t))
	db := keyedDB(r, keys)
	commitSession(t, db, 7, "u1", secretDraft)
	raw := rawSession(t, r, "7")
	if !strings.HasPrefix(raw, "z"+keys.ID()) { // sessions take the compact form
		t.Fatalf("stored form %.20q…, want z%s…", raw, keys.ID())
	}
	for _, plain := range []string{"张三", "520502198506120033", "phone", "draft"} {
		if strings.Contains(raw, plain) {
			t.Errorf("the stored session contains %q", plain)
		}
	}
	got, err := loadErr(db, 7)
	if err != nil || got.Draft == nil || got.Draft.Values["name"] != "张三" {
		t.Fatalf("round trip: %+v %v", got.Draft, err)
	}
	// The same value encrypted twice differs (a fresh nonce each time).
	commitSession(t, db, 7, "u2", secretDraft)
	if rawSession(t, r, "7") == raw {
		t.Error("two encryptions of one session are identical")
	}
}

func TestWrongKeyRefused(t *testing.T) {
	r := dbClient(t)
	commitSession(t, keyedDB(r, ring(t, newKey(t))), 7, "u1", secretDraft)
	if _, err := loadErr(keyedDB(r, ring(t, newKey(t))), 7); err == nil || !strings.Contains(err.Error(), "DATA_KEY_PREVIOUS") {
		t.Fatalf("another key read the session: %v", err)
	}
	if _, err := loadErr(store.New(r.c, store.Options{Prefix: r.prefix}), 7); err == nil {
		t.Fatal("a store without a key read an encrypted session")
	}
}

// TestAssociatedData: a value copied to another record, or changed by one byte, does not
// decrypt.
func TestAssociatedData(t *testing.T) {
	ctx := context.Background()
	r := dbClient(t)
	keys := ring(t, newKey(t))
	db := keyedDB(r, keys)
	commitSession(t, db, 7, "u1", secretDraft)
	commitSession(t, db, 8, "u2", dialogs.Session{Active: true})
	raw := rawSession(t, r, "7")
	r.c.Set(ctx, r.prefix+"{pb}:s:8:8", "1:"+raw, 0)
	db = keyedDB(r, keys) // a process that did not write them: no cached sessions
	if _, err := loadErr(db, 8); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Fatalf("a session moved to another chat was read: %v", err)
	}
	b := []byte(raw)
	b[len(b)-3] ^= 1
	r.c.Set(ctx, r.prefix+"{pb}:s:7:7", "1:"+string(b), 0)
	if _, err := loadErr(db, 7); err == nil {
		t.Fatal("a changed value was read")
	}
}

// TestRotation: with the old key as DATA_KEY_PREVIOUS, old records still read and new
// writes use the new key; without it, the old records do not read.
func TestRotation(t *testing.T) {
	r := dbClient(t)
	oldKey, newKey := newKey(t), newKey(t)
	commitSession(t, keyedDB(r, ring(t, oldKey)), 7, "u1", secretDraft)
	rotated := ring(t, newKey, oldKey)
	db := keyedDB(r, rotated)
	got, err := loadErr(db, 7)
	if err != nil || got.Draft.Values["name"] != "张三" {
		t.Fatalf("old record after rotation: %v", err)
	}
	commitSession(t, db, 7, "u2", got)
	if raw := rawSession(t, r, "7"); !strings.HasPrefix(raw, "z"+rotated.ID()) {
		t.Fatalf("a new write is not under the new key: %.9q", raw)
	}
	if _, err := loadErr(keyedDB(r, ring(t, newKey)), 7); err != nil {
		t.Fatalf("the rewritten record needs the old key: %v", err)
	}
}

// TestPlainRecordsStillRead: records written before encryption (plain JSON) are read,
// so that an installation can turn encryption on and rekey.
func TestPlainRecordsStillRead(t *testing.T) {
	r := dbClient(t)
	commitSession(t, store.New(r.c, store.Options{Prefix: r.prefix}), 7, "u1", secretDraft)
	if raw := rawSession(t, r, "7"); !strings.HasPrefix(raw, "j") {
		t.Fatalf("without a key the session is stored %.9q", raw)
	}
	if got, err := loadErr(keyedDB(r, ring(t, newKey(t))), 7); err != nil || got.Draft.Values["name"] != "张三" {
		t.Fatalf("a plain record is not read with a key set: %v", err)
	}
}

func TestParseKeyAndKeyring(t *testing.T) {
	k := newKey(t)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"standard", base64.StdEncoding.EncodeToString(k), true},
		{"unpadded", base64.RawStdEncoding.EncodeToString(k), true},
		{"url alphabet", base64.URLEncoding.EncodeToString(k), true},
		{"with spaces around", " " + base64.StdEncoding.EncodeToString(k) + "\n", true},
		{"16 bytes", base64.StdEncoding.EncodeToString(k[:16]), false},
		{"not base64", "not a key!", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := store.ParseKey(tt.in)
			if (err == nil) != tt.ok || (tt.ok && string(got) != string(k)) {
				t.Fatalf("ParseKey: %v", err)
			}
			if err != nil && strings.Contains(err.Error(), tt.in) && tt.in != "" {
				t.Errorf("the error repeats the key: %v", err)
			}
		})
	}
	if _, err := store.NewKeyring(k, k); err == nil {
		t.Error("the same key twice is accepted")
	}
	if _, err := store.NewKeyring(k[:31]); err == nil {
		t.Error("a short key is accepted")
	}
	if a, b := ring(t, k).ID(), ring(t, newKey(t)).ID(); a == b || len(a) != 8 {
		t.Errorf("key ids %q %q", a, b)
	}
}

// TestCompactSession: a session's compact form (deflated, sealed, raw bytes) is smaller than
// the base64 form, decodes back, and refuses being moved to another session.
func TestCompactSession(t *testing.T) {
	r := dbClient(t)
	keys := ring(t, newKey(t))
	db := keyedDB(r, keys)
	commitSession(t, db, 7, "u1", secretDraft)
	raw := rawSession(t, r, "7")
	got, err := loadErr(db, 7)
	if err != nil || got.Draft.Values["name"] != "张三" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	commitSession(t, db, 9, "u2", secretDraft)
	r.c.Set(context.Background(), r.prefix+"{pb}:s:9:9", "1:"+raw, 0) // 7's record moved to 9
	if _, err := loadErr(keyedDB(r, keys), 9); err == nil {
		t.Fatal("a session record moved to another chat was accepted")
	}
}
