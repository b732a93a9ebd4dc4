package dialogs_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
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
// Redis: load, handle, one MULTI commit per update, plus the submit script. It reports
// the time per update as well.
func BenchmarkApplication(b *testing.B) {
	rdb, prefix := redistest.New(b)
	db := store.New(rdb, store.Options{Prefix: prefix, SessionTTL: time.Hour})
	engine := dialogs.NewEngine(dialogs.Config{Location: shanghai}, db, nil)
	svc := &dialogs.Service{Engine: engine, Store: db}
	ctx := context.Background()
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
				if _, _, err := db.Done(ctx, batch, dialogs.Sent{N: len(batch.Items)}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(application)), "ns/update")
}
