package main

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// turn is one thing the user does: press a button (data, its prefix with "*") or type text.
type turn struct{ press, text, photo string }

// applicationTurns is a whole application as the user's turns, each answered by the bot.
func applicationTurns() []turn {
	return []turn{
		{text: "/start"}, {press: "m:apply"}, {press: "f:consent:yes"}, {press: "f:consent_abroad:yes"},
		{press: "f:consent_sensitive:yes"}, {press: "f:target:judgment"}, {press: "f:retrial:rejected"},
		{press: "f:retrial_late:no"}, {press: "f:service:signed"}, {text: recentServiceDate()},
		{press: "f:applicant_type:individual"}, {text: "张三"}, {press: "f:id_type:resident"},
		{text: "520502198506120033"}, {text: "汉族"}, {press: "n:skip:occupation"},
		{text: "贵州省毕节市七星关区某某路8号"}, {text: "13812345678"}, {press: "f:representation:self"},
		{text: "某某镇人民政府"}, {press: "n:skip:body_address"}, {text: "毕节市中级人民法院"},
		{text: "（2021）黔05行终123号"}, {text: "2021-10-09"}, {press: "f:dispute:land"},
		{text: "请求检察院对该判决依法提出抗诉或者再审检察建议"},
		{text: "镇政府征收我家承包地，至今没有支付补偿款，法院判决错误。"}, {photo: "photo-1"},
		{press: "n:done:documents"}, {press: "f:mediation:yes"}, {press: "r:submit"}, {text: "/status"},
	}
}

// limitedMethods are the Bot API calls Telegram counts against a chat's message budget.
var limitedMethods = []string{"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"}

// BenchmarkTurnLatency runs the real program against the fake Bot API with the default
// rate limits (one message a second per chat, bursts of 3) while one user goes through a
// whole application, answering every reply at once. It reports the API calls counted
// against the chat per turn (one message per turn is 1.0) and the latency of a turn, from
// the user's action to the bot's answer, at the median and the 95th percentile. Times are
// reported, never asserted. Run: go test -run '^$' -bench TurnLatency -benchtime 1x ./cmd/petitionbot/
func BenchmarkTurnLatency(b *testing.B) {
	fake, _, prefix := newFake(b, "supergroup")
	runBot(b, env(fake, prefix, "TELEGRAM_CHAT_RATE", "1", "TELEGRAM_GROUP_RATE", "18", "TELEGRAM_GLOBAL_RATE", "25"))
	if !fake.WaitFor(fake.Polling, wait) {
		b.Fatal("the bot did not start polling")
	}
	var lat []time.Duration
	calls, turns := 0, 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := int64(20_000 + i)
		c := &chat{fake: fake, id: id}
		before := limitedCalls(fake, id)
		for _, tr := range applicationTurns() {
			n := len(fake.Sent(id))
			start := time.Now()
			switch {
			case tr.press != "":
				m, ok := c.latestButtons()
				if !ok || buttonData(m, tr.press) == "" {
					b.Fatalf("no button %s: %s", tr.press, tail(fake.Sent(id)))
				}
				fake.PressButton(id, id, m.MessageID, buttonData(m, tr.press))
			case tr.photo != "":
				fake.SendPhoto(id, id, tr.photo)
			default:
				fake.SendText(id, id, tr.text)
			}
			if !fake.WaitFor(func() bool { return len(fake.Sent(id)) > n }, wait) {
				b.Fatalf("no answer to %+v", tr)
			}
			lat = append(lat, time.Since(start))
			turns++
		}
		calls += limitedCalls(fake, id) - before
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(calls)/float64(turns), "calls/turn")
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "ms-p50/turn")
	b.ReportMetric(float64(lat[len(lat)*95/100].Milliseconds()), "ms-p95/turn")
	b.ReportMetric(0, "ns/op")
}

// limitedCalls counts the calls to chat that Telegram counts against its message budget.
func limitedCalls(fake *fakeapi.Server, chat int64) int {
	id := strconv.FormatInt(chat, 10)
	n := 0
	for _, m := range limitedMethods {
		for _, p := range fake.Calls(m) {
			if p.Get("chat_id") == id {
				n++
			}
		}
	}
	return n
}
