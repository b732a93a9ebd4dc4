package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// BenchmarkCommitDraft commits a session with a full draft (about 3 KB of answers) and a
// reply, plain and encrypted: the cost of encryption per update.
func BenchmarkCommitDraft(b *testing.B) {
	keys, err := store.NewKeyring([]byte(strings.Repeat("k", store.KeySize)))
	if err != nil {
		b.Fatal(err)
	}
	values := map[string]string{"name": "张三", "id_number": "520502198506120033", "phone": "13812345678",
		"address": "贵州省毕节市七星关区某某路8号", "facts": strings.Repeat("镇政府征收我家承包地，至今没有支付补偿款。", 40)}
	for _, tt := range []struct {
		name string
		keys *store.Keyring
	}{{"plain", nil}, {"encrypted", keys}} {
		b.Run(tt.name, func(b *testing.B) {
			r := dbClient(b)
			db := store.New(r.c, store.Options{Prefix: r.prefix, Keys: tt.keys})
			ctx := context.Background()
			key := dialogs.SessionKey{Chat: 7, User: 7}
			s := dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: "d", Field: "review", Values: values}}
			for i := 0; b.Loop(); i++ {
				u := strconv.Itoa(i)
				fx := dialogs.Effects{Session: s, Deliveries: []dialogs.Delivery{to(7, u+"/0", "review.title")}}
				if _, err := db.Commit(ctx, key, u, int64(i), fx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
