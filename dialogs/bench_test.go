package dialogs_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/knowledge"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

// application is a complete application as a petitioner's inputs.
var application = []dialogs.Input{
	{Kind: dialogs.KindText, Text: "/start"},
	{Kind: dialogs.KindButton, Data: "m:apply"},
	{Kind: dialogs.KindButton, Data: "f:consent:yes"},
	{Kind: dialogs.KindButton, Data: "f:consent_abroad:yes"},
	{Kind: dialogs.KindButton, Data: "f:consent_sensitive:yes"},
	{Kind: dialogs.KindButton, Data: "f:target:judgment"},
	{Kind: dialogs.KindButton, Data: "f:retrial:rejected"},
	{Kind: dialogs.KindButton, Data: "f:retrial_late:no"},
	{Kind: dialogs.KindButton, Data: "f:service:signed"},
	{Kind: dialogs.KindText, Text: "2026-09-01"},
	{Kind: dialogs.KindButton, Data: "f:applicant_type:individual"},
	{Kind: dialogs.KindText, Text: "张三"},
	{Kind: dialogs.KindButton, Data: "f:id_type:resident"},
	{Kind: dialogs.KindText, Text: "520502198506120033"},
	{Kind: dialogs.KindText, Text: "汉族"},
	{Kind: dialogs.KindButton, Data: "n:skip:occupation"},
	{Kind: dialogs.KindText, Text: "贵州省毕节市七星关区某某路8号"},
	{Kind: dialogs.KindText, Text: "13812345678"},
	{Kind: dialogs.KindButton, Data: "f:representation:self"},
	{Kind: dialogs.KindText, Text: "某某镇人民政府"},
	{Kind: dialogs.KindButton, Data: "n:skip:body_address"},
	{Kind: dialogs.KindText, Text: "毕节市中级人民法院"},
	{Kind: dialogs.KindText, Text: "（2021）黔05行终123号"},
	{Kind: dialogs.KindText, Text: "2021-10-09"},
	{Kind: dialogs.KindButton, Data: "f:dispute:land"},
	{Kind: dialogs.KindText, Text: "请求检察院对该判决依法提出抗诉或者再审检察建议"},
	{Kind: dialogs.KindText, Text: "镇政府征收我家承包地，至今没有支付补偿款，法院判决认定事实错误。"},
	{Kind: dialogs.KindAttachment, Attachment: dialogs.Attachment{FileID: "f1", Name: "a.jpg", Type: "photo"}},
	{Kind: dialogs.KindButton, Data: "n:done:documents"},
	{Kind: dialogs.KindButton, Data: "f:mediation:yes"},
	{Kind: dialogs.KindButton, Data: "r:submit"},
}

// BenchmarkApplication processes whole applications through the service and a real
// Redis: load (when the session is not cached), handle, one commit per update. Deliveries
// are acknowledged apart from handling, as the bot's sender does (an acknowledgement
// waits up to 2 ms to ride along with another pipeline). It reports the time per update.
func BenchmarkApplication(b *testing.B) {
	rdb, prefix := redistest.New(b)
	db := store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour})
	engine := dialogs.NewEngine(dialogs.Config{Location: shanghai}, db, nil)
	svc := &dialogs.Service{Engine: engine, Store: db}
	ctx := context.Background()
	var acks sync.WaitGroup
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		chat := int64(1000 + i)
		for j, in := range application {
			in.ChatID, in.UserID = chat, chat
			res, err := svc.Process(ctx, strconv.Itoa(i)+":"+strconv.Itoa(j), in)
			if err != nil {
				b.Fatal(err)
			}
			for _, batch := range res.Batches { // what a sender does once Telegram accepted them
				acks.Add(1)
				go func() {
					defer acks.Done()
					if _, _, err := db.Done(ctx, batch, dialogs.Sent{N: len(batch.Items)}); err != nil {
						b.Error(err)
					}
				}()
			}
		}
	}
	acks.Wait()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(application)), "ns/update")
}

// BenchmarkRoundTrips counts the Redis round trips of form steps, submissions and
// questions, each delivery acknowledged as the bot's sender does once Telegram accepted
// it — apart from handling, while the user already answers — with one chat at a time and
// with 64 at once (where acknowledgements ride along with other chats' pipelines). b.N
// whole applications per run; the store encrypts, as in production.
func BenchmarkRoundTrips(b *testing.B) {
	for _, chats := range []int{1, 64} {
		b.Run(strconv.Itoa(chats)+"chats", func(b *testing.B) {
			rdb, prefix := redistest.New(b)
			rt := &roundTrips{}
			rdb.AddHook(rt)
			keys, err := store.NewKeyring([]byte("benchmark-data-key-of-32-bytes!!"))
			if err != nil {
				b.Fatal(err)
			}
			db := store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour, Keys: keys})
			kb := &dialogs.Knowledge{Index: benchIndex(b)}
			svc := &dialogs.Service{Engine: dialogs.NewEngine(dialogs.Config{Location: shanghai}, db, kb), Store: db}
			ctx := context.Background()
			phases := []struct {
				name   string
				inputs []dialogs.Input
			}{
				{"form-step", application[:len(application)-1]},
				{"submit", application[len(application)-1:]},
				{"question", []dialogs.Input{{Kind: dialogs.KindText, Text: "申请监督要花钱吗"}, {Kind: dialogs.KindText, Text: "How long does the review take?"}}},
			}
			counts := map[string][2]int64{}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, ph := range phases {
					before := rt.n.Load()
					var wg, senders sync.WaitGroup
					for c := 0; c < chats; c++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							chat := int64(1_000_000*(i+1) + c)
							for j, in := range ph.inputs {
								in.ChatID, in.UserID = chat, chat
								res, err := svc.Process(ctx, ph.name+strconv.Itoa(j)+":"+strconv.FormatInt(chat, 10), in)
								if err != nil {
									b.Error(err)
									return
								}
								for _, batch := range res.Batches {
									senders.Add(1)
									go func() {
										defer senders.Done()
										if _, _, err := db.Done(ctx, batch, dialogs.Sent{N: len(batch.Items)}); err != nil {
											b.Error(err)
										}
									}()
								}
							}
						}()
					}
					wg.Wait()
					senders.Wait()
					time.Sleep(5 * time.Millisecond) // the last acknowledgements flush alone
					c := counts[ph.name]
					counts[ph.name] = [2]int64{c[0] + rt.n.Load() - before, c[1] + int64(chats*len(ph.inputs))}
				}
			}
			b.StopTimer()
			for name, c := range counts {
				b.ReportMetric(float64(c[0])/float64(c[1]), "roundtrips/"+name)
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}

// roundTrips counts Redis round trips: every command sent alone, every pipeline.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }
func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { r.n.Add(1); return next(ctx, cmd) }
}
func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { r.n.Add(1); return next(ctx, cmds) }
}

// benchIndex is the embedded knowledge base's index, built once.
func benchIndex(b *testing.B) *knowledge.Index {
	entries, err := knowledge.Load(knowledge.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	ix, err := knowledge.NewIndex(entries)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}
