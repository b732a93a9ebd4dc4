package main

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

const (
	staffUser = int64(900)
	outsider  = int64(555)
)

// card returns the staff chat's message that is the case card (it has staff buttons).
func card(t *testing.T, fake *fakeapi.Server) fakeapi.SentMessage {
	t.Helper()
	var m fakeapi.SentMessage
	if !fake.WaitFor(func() bool {
		for _, s := range fake.Sent(staffChat) {
			if buttonData(s, "s:det:*") != "" {
				m = s
				return true
			}
		}
		return false
	}, wait) {
		t.Fatalf("no case card in the staff chat: %s", tail(fake.Sent(staffChat)))
	}
	return m
}

// pressCard makes user press the card button whose action code is code, once the card
// offers it, and waits until the press was answered.
func pressCard(t *testing.T, fake *fakeapi.Server, user int64, code string) {
	t.Helper()
	var m fakeapi.SentMessage
	if !fake.WaitFor(func() bool { m = card(t, fake); return buttonData(m, "s:"+code+":*") != "" }, wait) {
		t.Fatalf("the card offers no %q: %s", code, m.PlainText)
	}
	id := fake.PressButton(staffChat, user, m.MessageID, buttonData(m, "s:"+code+":*"))
	waitAnswered(t, fake, id)
}

func waitAnswered(t *testing.T, fake *fakeapi.Server, id string) {
	t.Helper()
	if !fake.WaitFor(func() bool {
		for _, a := range fake.AnsweredCallbacks() {
			if a == id {
				return true
			}
		}
		return false
	}, wait) {
		t.Fatalf("press %s not answered", id)
	}
}

// cardSays waits until the card's text contains s.
func cardSays(t *testing.T, fake *fakeapi.Server, s string) fakeapi.SentMessage {
	t.Helper()
	var m fakeapi.SentMessage
	if !fake.WaitFor(func() bool { m = card(t, fake); return strings.Contains(m.PlainText, s) }, wait) {
		t.Fatalf("the card does not say %q:\n%s", s, m.PlainText)
	}
	return m
}

// TestStaffWorkflowOnTelegram is the staff workspace end to end against the fake Bot API:
// a staff user takes a submitted case through acceptance, investigation, the joint
// meeting, a hearing and closure with buttons and commands; the card is edited in place;
// the petitioner receives each notice and a staff message, and their reply reaches the
// staff; a non-staff user's command and a forged press change nothing; /stats and /export
// agree with the case; the group never sees the petitioner's name, ID number or phone.
func TestStaffWorkflowOnTelegram(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	runBot(t, env(fake, prefix, "STAFF_USER_IDS", "900"))
	p := &chat{t: t, fake: fake, id: petitioner}
	staff := &chat{t: t, fake: fake, id: staffUser}
	fake.SendText(staffUser, staffUser, "/help") // the staff user opens their private chat
	staff.expectText("/queue")

	p.firstHalf()
	p.secondHalf()
	p.press("r:submit")
	number := p.expectText(`JC-\d{4}-\d{6}`)
	first := cardSays(t, fake, number)

	// Someone who is not staff: their press and their command change nothing.
	waitAnswered(t, fake, fake.PressButton(staffChat, outsider, first.MessageID, buttonData(first, "s:acc:*")))
	fake.SendText(staffChat, outsider, "/assign "+number)
	if !fake.WaitFor(func() bool { return containing(fake, staffChat, "⛔") > 0 }, wait) {
		t.Fatal("no refusal for the outsider's command")
	}
	// A forged press: an old version of the card.
	waitAnswered(t, fake, fake.PressButton(staffChat, staffUser, first.MessageID, "s:acc:"+number+":99"))
	if m := card(t, fake); !strings.Contains(m.PlainText, "已提交") || strings.Contains(m.PlainText, "已受理") {
		t.Fatalf("the outsider's or the forged press changed the case:\n%s", m.PlainText)
	}

	pressCard(t, fake, staffUser, "asg")
	cardSays(t, fake, "承办人：User900")
	pressCard(t, fake, staffUser, "acc")
	cardSays(t, fake, "已受理")
	p.expectText("已经受理")
	pressCard(t, fake, staffUser, "inv")
	cardSays(t, fake, "调查核实中")
	p.expectText("正在调查核实")

	// Staff write to the petitioner; the petitioner answers, the answer reaches the staff.
	pressCard(t, fake, staffUser, "msg")
	staff.expectText("请输入要发给")
	fake.SendText(staffUser, staffUser, "请问您家被征收的承包地有多少亩？")
	p.expectText("被征收的承包地有多少亩")
	p.press("y:" + number)
	p.expectText("请输入要转给")
	fake.SendText(petitioner, petitioner, "大约三亩地")
	staff.expectText("大约三亩地")

	pressCard(t, fake, staffUser, "rev")
	cardSays(t, fake, "检察官集体研究中")
	pressCard(t, fake, staffUser, "grd")
	staff.press("g:level:general")
	staff.expectText("谁在什么时候批准")
	fake.SendText(staffUser, staffUser, "分管副检察长张某，2026-12-05")
	cardSays(t, fake, "正在与行政机关沟通协调")

	pressCard(t, fake, staffUser, "hea")
	staff.expectText("听证在什么时候")
	fake.SendText(staffUser, staffUser, "2099-01-20 9:30")
	staff.expectText("听证地点")
	fake.SendText(staffUser, staffUser, "本院听证室")
	staff.press("g:deputy:")
	staff.press("g:cppcc:")
	staff.press("g:expert:")
	cardSays(t, fake, "本院听证室")
	p.expectText("将举行公开听证")

	pressCard(t, fake, staffUser, "clo")
	staff.press("g:outcome:settled")
	staff.expectText("约定或决定的具体内容")
	fake.SendText(staffUser, staffUser, "镇政府在月底前支付补偿款")
	final := cardSays(t, fake, "和解")
	p.expectText("已经办结")

	// The card was edited in place: one card, many edits.
	cards := 0
	for _, m := range fake.Sent(staffChat) {
		if buttonData(m, "s:det:*") != "" {
			cards++
		}
	}
	if cards != 1 || final.MessageID != first.MessageID || final.Edits < 8 {
		t.Errorf("%d cards, message %d (first %d), %d edits: want one card edited in place", cards, final.MessageID, first.MessageID, final.Edits)
	}

	// /stats and /export agree with the case.
	fake.SendText(staffUser, staffUser, "/stats")
	staff.expectText(`统计.*（共 1 件）`)
	staff.expectText(`本月 1 件（其中化解 1 件）`)
	fake.SendText(staffUser, staffUser, "/export 2020-01-01 2099-12-31")
	var doc *fakeapi.SentFile
	if !fake.WaitFor(func() bool {
		for _, m := range fake.Sent(staffUser) {
			if m.File != nil && m.File.Name != "" {
				doc = m.File
				return true
			}
		}
		return false
	}, wait) {
		t.Fatal("no CSV document")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc.Content, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != number || rows[1][2] != "closed" || rows[1][7] != "settled" || rows[1][8] != "900" {
		t.Errorf("export %q, %v", rows, err)
	}

	// The group never saw the petitioner's personal data.
	for _, m := range fake.Sent(staffChat) {
		for _, personal := range []string{"张三", "520502198506120033", "13812345678", "某某路8号", "大约三亩地"} {
			if strings.Contains(m.PlainText, personal) {
				t.Errorf("the staff group received %q:\n%s", personal, m.PlainText)
			}
		}
	}
	if regexp.MustCompile(`\d{17}[\dX]`).MatchString(strings.Join(texts(fake.Sent(staffChat)), "\n")) {
		t.Error("an ID number reached the staff group")
	}
}

func texts(ms []fakeapi.SentMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.PlainText)
	}
	return out
}
