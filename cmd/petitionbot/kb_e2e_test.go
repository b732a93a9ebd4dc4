package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// fakeLLM is an OpenAI-compatible chat-completions server whose behaviour a test sets.
type fakeLLM struct {
	mu    sync.Mutex
	reply string        // the assistant's content
	delay time.Duration // answer after this long
	calls int
}

func (f *fakeLLM) set(reply string, delay time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reply, f.delay = reply, delay
}

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	reply, delay := f.reply, f.delay
	f.calls++
	f.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "x", "object": "chat.completion", "model": "test-model",
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": reply}}},
	})
}

// TestKnowledgeOnTelegram: questions get sourced answers with feedback buttons, phrased by
// the language model only when it cites a retrieved entry; a low-confidence question can
// be passed to staff; /ask inside the application returns to the same step; hostile
// input never breaks a message.
func TestKnowledgeOnTelegram(t *testing.T) {
	llm := &fakeLLM{}
	srv := httptest.NewServer(llm)
	defer srv.Close()
	fake, _, prefix := newFake(t, "supergroup")
	runBot(t, env(fake, prefix, "OPENAI_API_KEY", "k", "OPENAI_BASE_URL", srv.URL+"/v1",
		"OPENAI_MODEL", "test-model", "OPENAI_TIMEOUT", "500ms", "STAFF_USER_IDS", "42,43"))
	c := &chat{t: t, fake: fake, id: petitioner}

	ask := func(q string) fakeapi.SentMessage {
		t.Helper()
		c.fake.SendText(c.id, c.id, q)
		return c.expect("k:up:*")
	}
	llm.set("模型的回答：申请监督不收受理费。[apply.fees]", 0)
	if m := ask("申请监督要花钱吗"); !strings.Contains(m.PlainText, "模型的回答") || !strings.Contains(m.PlainText, "apply.fees") {
		t.Errorf("a cited model answer should be used:\n%s", m.PlainText)
	}
	for name, mode := range map[string]struct {
		reply string
		delay time.Duration
	}{"no citation": {"模型的回答：没有引用。", 0}, "timeout": {"模型的回答：太慢了 [apply.fees]", 2 * time.Second}} {
		llm.set(mode.reply, mode.delay)
		before := len(fake.Sent(c.id))
		c.fake.SendText(c.id, c.id, "申请监督收不收费")
		if !fake.WaitFor(func() bool { return len(fake.Sent(c.id)) > before }, wait) {
			t.Fatalf("%s: no answer", name)
		}
		m := fake.Sent(c.id)[before]
		if strings.Contains(m.PlainText, "模型的回答") || !strings.Contains(m.PlainText, "apply.fees") {
			t.Errorf("%s: the entry's own answer should be used:\n%s", name, m.PlainText)
		}
	}

	// Low confidence: related topics and a hand-off to staff. The staff group is told
	// there is a question, without its text (it may be personal).
	c.fake.SendText(c.id, c.id, "行政诉讼里举证责任是原告的还是政府的")
	c.press("k:staff:*")
	if !fake.WaitFor(func() bool { return containing(fake, staffChat, "Q-") > 0 }, wait) {
		t.Fatal("the hand-off was not announced in the staff chat")
	}
	if containing(fake, staffChat, "行政诉讼里举证责任是原告的还是政府的") > 0 {
		t.Error("the staff group sees the handed-off question's text")
	}

	// Staff see the statistics with /kbstats in the staff chat.
	fake.SendText(staffChat, 99, "/kbstats")
	fake.SendText(staffChat, 43, "/kbstats@petition_test_bot")
	if !fake.WaitFor(func() bool { return containing(fake, staffChat, "apply.fees") > 0 }, wait) {
		t.Fatal("/kbstats did not answer in the staff chat")
	}

	// Inside the application /ask answers, then the same step is asked again.
	c.fake.SendText(c.id, c.id, "/start")
	c.press("m:apply")
	c.press("f:consent:yes")
	c.press("f:consent_abroad:yes")
	c.press("f:consent_sensitive:yes")
	c.expect("f:target:judgment")
	n := len(fake.Sent(c.id))
	c.fake.SendText(c.id, c.id, "/ask 抗诉是什么意思")
	if !fake.WaitFor(func() bool { return len(fake.Sent(c.id)) >= n+1 }, wait) {
		t.Fatal("no answer to /ask")
	}
	if m, _ := c.latestButtons(); !hasButton(m, "f:target:judgment") {
		t.Errorf("after /ask the same step should be asked again, got %s", m.PlainText)
	}
	// One message: the answer, then the same step's question.
	if got := fake.Sent(c.id); len(got) != n+1 || !strings.Contains(got[n].PlainText, "review.protest") {
		t.Errorf("/ask should answer about review.protest in one message with the step:\n%s", tail(got))
	}

	// Hostile input at a text step: every one gets an answer that Telegram accepted.
	c.press("f:target:judgment")
	c.press("f:retrial:rejected")
	c.press("f:retrial_late:no")
	c.press("f:service:signed")
	c.say("n:back:key_date", recentServiceDate())
	c.press("f:applicant_type:individual")
	// Each gets one message: the error and the question again, or (the last, accepted)
	// the next question.
	for _, in := range []struct {
		text    string
		answers int
	}{{strings.Repeat("长", 10000), 1}, {"😀😀😀", 1}, {"<b>张</b> & <i>三", 1}, {"</b></i>&amp;", 1}, {"张\x00三\x07", 1}} {
		before := len(fake.Sent(c.id))
		c.fake.SendText(c.id, c.id, in.text)
		if !fake.WaitFor(func() bool { return len(fake.Sent(c.id)) >= before+in.answers }, wait) {
			t.Fatalf("no complete answer to %.20q", in.text)
		}
	}
	// Control characters are dropped: the last one was taken as the name 张三.
	c.expect("f:id_type:resident")
}

// TestSlowAnswerDoesNotHoldOtherChats: while one chat waits for a slow language model,
// another chat is answered.
func TestSlowAnswerDoesNotHoldOtherChats(t *testing.T) {
	llm := &fakeLLM{}
	llm.set("模型的回答 [apply.fees]", 3*time.Second)
	srv := httptest.NewServer(llm)
	defer srv.Close()
	fake, _, prefix := newFake(t, "supergroup")
	runBot(t, env(fake, prefix, "OPENAI_API_KEY", "k", "OPENAI_BASE_URL", srv.URL+"/v1",
		"OPENAI_MODEL", "test-model", "OPENAI_TIMEOUT", "10s"))

	slow, quick := int64(7001), int64(7002)
	fake.SendText(slow, slow, "申请监督要花钱吗")
	if !fake.WaitFor(func() bool { llm.mu.Lock(); defer llm.mu.Unlock(); return llm.calls > 0 }, wait) {
		t.Fatal("the model was not asked")
	}
	fake.SendText(quick, quick, "/start")
	if !fake.WaitFor(func() bool { return len(fake.Sent(quick)) > 0 }, wait) {
		t.Fatal("the other chat got no answer")
	}
	if n := len(fake.Sent(slow)); n != 0 {
		t.Fatalf("the slow chat was answered first (%d messages); the test proves nothing", n)
	}
	if !fake.WaitFor(func() bool { return len(fake.Sent(slow)) > 0 }, wait) {
		t.Fatal("the slow chat got no answer")
	}
}
