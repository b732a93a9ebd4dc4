package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

const (
	petitioner = int64(5001)
	staffChat  = int64(-100777)
)

// testDataKey is the DATA_KEY of the tests (32 bytes in base64).
const testDataKey = "cGV0aXRpb25ib3QgdGVzdHMnIGRhdGEga2V5IDMyIGI="

// testStore reads the key space of a test's bot as the bot does, with testDataKey.
func testStore(tb testing.TB, rdb *redis.Client, prefix string) *store.DB {
	tb.Helper()
	raw, err := store.ParseKey(testDataKey)
	if err != nil {
		tb.Fatal(err)
	}
	keys, err := store.NewKeyring(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return store.New(rdb, store.Options{Prefix: prefix, Keys: keys})
}

// newFake starts a fake Bot API with a staff chat of the given type ("supergroup",
// "group") and gives the test a Redis client and key prefix of its own.
func newFake(tb testing.TB, staffType string) (*fakeapi.Server, *redis.Client, string) {
	tb.Helper()
	fake := fakeapi.New(tb)
	fake.AddChat(staffChat, staffType)
	rdb, prefix := redistest.New(tb)
	return fake, rdb, prefix
}

// runBot runs the whole program in-process on Telegram until stop is called (as SIGTERM
// would); stop returns what run returned, or fails after 30 s.
func runBot(tb testing.TB, getenv func(string) string) (stop func() error) {
	return runBotLog(tb, getenv, io.Discard)
}

// runBotLog is runBot with the program's log written to stderr.
func runBotLog(tb testing.TB, getenv func(string) string, stderr io.Writer) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"petitionbot"}, getenv, strings.NewReader(""), io.Discard, stderr)
	}()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("the program did not stop")
		}
	}
	tb.Cleanup(func() { stop() })
	return stop
}

// env returns a getenv over the given settings plus the ones every test needs.
func env(fake *fakeapi.Server, prefix string, extra ...string) func(string) string {
	m := map[string]string{
		"TELEGRAM_BOT_TOKEN":    fake.Token(),
		"TELEGRAM_API_ENDPOINT": fake.APIEndpoint(),
		"STAFF_CHAT_ID":         fmt.Sprint(staffChat),
		"REDIS_URL":             redistest.URL(),
		"REDIS_PREFIX":          prefix,
		"PROCURATORATE_NAME":    "测试市人民检察院",
		"PROCURATORATE_ADDRESS": "测试路1号",
		"PROCURATORATE_PHONE":   "0857-1234567",
		"TELEGRAM_CHAT_RATE":    "1000",
		"TELEGRAM_GROUP_RATE":   "6000",
		"TELEGRAM_GLOBAL_RATE":  "1000",
		"DATA_KEY":              testDataKey,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return func(k string) string { return m[k] }
}

// chat drives one petitioner through the fake Bot API.
type chat struct {
	t    *testing.T
	fake *fakeapi.Server
	id   int64
}

const wait = 15 * time.Second

// latestButtons returns the newest message that still has buttons.
func (c *chat) latestButtons() (fakeapi.SentMessage, bool) {
	sent := c.fake.Sent(c.id)
	for i := len(sent) - 1; i >= 0; i-- {
		if len(sent[i].Buttons) > 0 {
			return sent[i], true
		}
	}
	return fakeapi.SentMessage{}, false
}

func hasButton(m fakeapi.SentMessage, data string) bool { return buttonData(m, data) != "" }

// buttonData returns the data of the first button whose data is data or, when data ends
// with "*", starts with the rest.
func buttonData(m fakeapi.SentMessage, data string) string {
	prefix, wild := strings.CutSuffix(data, "*")
	for _, r := range m.Buttons {
		for _, b := range r {
			if b.Data == data || (wild && strings.HasPrefix(b.Data, prefix)) {
				return b.Data
			}
		}
	}
	return ""
}

// expect waits until the newest message with buttons offers data.
func (c *chat) expect(data string) fakeapi.SentMessage {
	c.t.Helper()
	var m fakeapi.SentMessage
	ok := c.fake.WaitFor(func() bool {
		var found bool
		m, found = c.latestButtons()
		return found && hasButton(m, data)
	}, wait)
	if !ok {
		last := c.fake.Sent(c.id)
		c.t.Fatalf("no button %q offered; latest messages: %s", data, tail(last))
	}
	return m
}

// expectText waits until some message of the chat matches re and returns the match.
func (c *chat) expectText(re string) string {
	c.t.Helper()
	rx := regexp.MustCompile(re)
	var got string
	ok := c.fake.WaitFor(func() bool {
		for _, m := range c.fake.Sent(c.id) {
			if s := rx.FindString(m.PlainText); s != "" {
				got = s
				return true
			}
		}
		return false
	}, wait)
	if !ok {
		c.t.Fatalf("no message matching %q; latest: %s", re, tail(c.fake.Sent(c.id)))
	}
	return got
}

// press presses the button with data (a trailing "*" matches any rest) on the newest
// message offering it.
func (c *chat) press(data string) {
	c.t.Helper()
	m := c.expect(data)
	c.fake.PressButton(c.id, c.id, m.MessageID, buttonData(m, data))
}

// say types text once the newest message offers next (a step's buttons, such as back).
func (c *chat) say(next, text string) {
	c.t.Helper()
	c.expect(next)
	n := len(c.fake.Sent(c.id))
	c.fake.SendText(c.id, c.id, text)
	if !c.fake.WaitFor(func() bool { return len(c.fake.Sent(c.id)) > n }, wait) {
		c.t.Fatalf("no answer to %q", text)
	}
}

// containing counts the chat's messages whose text contains s.
func containing(fake *fakeapi.Server, chat int64, s string) int {
	n := 0
	for _, m := range fake.Sent(chat) {
		if strings.Contains(m.PlainText, s) {
			n++
		}
	}
	return n
}

func tail(ms []fakeapi.SentMessage) string {
	var b strings.Builder
	for _, m := range ms[max(0, len(ms)-3):] {
		fmt.Fprintf(&b, "\n--- %s %v", m.PlainText, m.Buttons)
	}
	return b.String()
}

// firstHalf fills the application up to the name question.
func (c *chat) firstHalf() {
	c.fake.SendText(c.id, c.id, "/start")
	c.press("m:apply")
	c.press("f:consent:yes")
	c.press("f:consent_abroad:yes")
	c.press("f:consent_sensitive:yes")
	c.press("f:target:judgment")
	c.press("f:retrial:rejected")
	c.press("f:retrial_late:no")
	c.press("f:service:signed")
	c.say("n:back:key_date", recentServiceDate())
	c.press("f:applicant_type:individual")
}

// secondHalf answers from the name question to the review.
func (c *chat) secondHalf() {
	c.say("n:back:name", "张三")
	c.press("f:id_type:resident")
	c.say("n:back:id_number", "520502198506120033")
	c.say("n:back:ethnicity", "汉族")
	c.press("n:skip:occupation")
	c.say("n:back:address", "贵州省毕节市七星关区某某路8号")
	c.say("n:back:phone", "13812345678")
	c.press("f:representation:self")
	c.say("n:back:body", "某某镇人民政府")
	c.press("n:skip:body_address")
	c.say("n:back:court", "毕节市中级人民法院")
	c.say("n:back:case_number", "（2021）黔05行终123号")
	c.say("n:back:judgment_date", "2021-10-09")
	c.press("f:dispute:land")
	c.say("n:back:request", "请求检察院对该判决依法提出抗诉或者再审检察建议")
	c.say("n:back:facts", "镇政府征收我家承包地，至今没有支付补偿款 <b>&</b> 法院判决错误。")
	c.expect("n:done:documents")
	c.fake.SendPhoto(c.id, c.id, "photo-file-1")
	c.press("n:done:documents")
	c.press("f:mediation:yes")
	c.expect("r:submit")
}

// recentServiceDate is a service date 60 days ago in Asia/Shanghai: tests that run with
// the real clock stay well within the six months, whenever they run.
func recentServiceDate() string {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Now().In(loc).AddDate(0, 0, -60).Format(time.DateOnly)
}

// count returns how many lines hold s.
func (s *syncBuffer) count(sub string) int {
	n := 0
	for _, l := range strings.Split(s.String(), "\n") {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}
