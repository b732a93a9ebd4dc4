package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// The check-ins and timed messages against the fake Bot API, with FOLLOWUP_OFFSETS=5s and
// FOLLOWUP_HOURS=00:00-24:00: what the "Done when" lists.

func followupEnv(fake *fakeapi.Server, prefix, offsets string) func(string) string {
	return env(fake, prefix, "STAFF_USER_IDS", fmt.Sprint(staffUser), "FOLLOWUP_OFFSETS", offsets,
		"FOLLOWUP_HOURS", "00:00-24:00", "FOLLOWUP_REMINDER", "1h", "STAFF_DIGEST_AT", "off")
}

// pressGroup presses, as the staff user, the button data (a trailing "*" matches any
// rest) of the newest message in the staff group offering it; with edits, it waits
// until that card was edited after the press.
func pressGroup(t *testing.T, fake *fakeapi.Server, data string, edits bool) {
	t.Helper()
	var m fakeapi.SentMessage
	if !fake.WaitFor(func() bool {
		sent := fake.Sent(staffChat)
		for i := len(sent) - 1; i >= 0; i-- {
			if hasButton(sent[i], data) {
				m = sent[i]
				return true
			}
		}
		return false
	}, wait) {
		t.Fatalf("no button %q in the staff group: %s", data, tail(fake.Sent(staffChat)))
	}
	fake.PressButton(staffChat, staffUser, m.MessageID, buttonData(m, data))
	if edits && !fake.WaitFor(func() bool {
		for _, x := range fake.Sent(staffChat) {
			if x.MessageID == m.MessageID && x.Edits > m.Edits {
				return true
			}
		}
		return false
	}, wait) {
		t.Fatalf("the card was not updated after %q", data)
	}
}

// appliedAndAccepted submits an application and has the staff take and accept it.
func appliedAndAccepted(t *testing.T, fake *fakeapi.Server, c *chat) string {
	t.Helper()
	fake.AddChat(staffUser, "private")
	c.firstHalf()
	c.secondHalf()
	c.press("r:submit")
	number := c.expectText(`JC-\d{4}-\d{6}`)
	pressGroup(t, fake, "s:asg:*", true)
	pressGroup(t, fake, "s:acc:*", true)
	c.expectText("已经受理")
	return number
}

// closeSettled closes the case as settled through the staff form.
func closeSettled(t *testing.T, fake *fakeapi.Server, agreed string) {
	t.Helper()
	pressGroup(t, fake, "s:clo:*", false)
	s := &chat{t: t, fake: fake, id: staffUser}
	s.press("g:outcome:settled")
	s.say("g:cancel", agreed)
	s.expectText("已办结|办结")
}

// TestCheckinEndToEnd: closing a case as settled makes a check-in arrive with what was
// agreed; "not at all" and a comment reach the staff handling the case with its card.
func TestCheckinEndToEnd(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	runBot(t, followupEnv(fake, prefix, "5s"))
	c := &chat{t: t, fake: fake, id: petitioner}
	number := appliedAndAccepted(t, fake, c)
	closeSettled(t, fake, "镇政府月底前支付补偿款七万元")

	m := c.expect("v:" + number + ":1:n")
	if !strings.Contains(m.PlainText, number) || !strings.Contains(m.PlainText, "镇政府月底前支付补偿款七万元") {
		t.Fatalf("the check-in lacks the case or what was agreed:\n%s", m.PlainText)
	}
	c.press("v:" + number + ":1:n")
	c.expect("v:" + number + ":1:done")
	fake.SendText(petitioner, petitioner, "一分钱也没收到")
	c.expectText("已转给")
	s := &chat{t: t, fake: fake, id: staffUser}
	alert := s.expectText(number + `.*没有落实`)
	if alert == "" {
		t.Fatal("no alert")
	}
	if !fake.WaitFor(func() bool { return containing(fake, staffUser, "一分钱也没收到") == 1 }, wait) {
		t.Fatalf("the comment did not reach the staff user: %s", tail(fake.Sent(staffUser)))
	}
	if !fake.WaitFor(func() bool {
		for _, msg := range fake.Sent(staffUser) {
			if strings.Contains(msg.PlainText, "没有落实") && hasButton(msg, "s:reo:*") && hasButton(msg, "s:vis:*") {
				return true
			}
		}
		return false
	}, wait) {
		t.Fatal("the alert offers neither reopening nor a visit")
	}
	if n := containing(fake, staffChat, "一分钱"); n != 0 {
		t.Fatalf("the comment reached the staff group %d times", n)
	}
}

// TestCheckinRestartAndStop: a restart before the check-in is due neither loses nor
// duplicates it; "please stop" ends the check-ins (the second one never comes).
func TestCheckinRestartAndStop(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	getenv := followupEnv(fake, prefix, "5s,10s")
	stop := runBot(t, getenv)
	c := &chat{t: t, fake: fake, id: petitioner}
	number := appliedAndAccepted(t, fake, c)
	closeSettled(t, fake, "镇政府月底前支付补偿款")
	closed := time.Now()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := containing(fake, petitioner, "回访"); n != 0 {
		t.Fatalf("a check-in came before it was due (%d)", n)
	}
	runBot(t, getenv)
	c.press("v:" + number + ":1:s")
	c.expectText("不再给您发回访")
	time.Sleep(time.Until(closed.Add(13 * time.Second))) // the second check-in was due at 10 s
	if n := containing(fake, petitioner, "这里是检察院的回访"); n != 1 {
		t.Fatalf("%d check-ins arrived, want exactly 1", n)
	}
}

// TestHearingSoonNotifiesAtOnce: a hearing scheduled for the day after tomorrow is told
// to the petitioner at once.
func TestHearingSoonNotifiesAtOnce(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	runBot(t, followupEnv(fake, prefix, "5s"))
	c := &chat{t: t, fake: fake, id: petitioner}
	appliedAndAccepted(t, fake, c)
	pressGroup(t, fake, "s:inv:*", true)
	c.expectText("调查核实")
	pressGroup(t, fake, "s:hea:*", false)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	when := time.Now().In(loc).AddDate(0, 0, 2).Format("2006-01-02") + " 10:00"
	s := &chat{t: t, fake: fake, id: staffUser}
	s.say("g:cancel", when)
	s.say("g:cancel", "本院听证室")
	s.press("g:deputy:")
	s.press("g:cppcc:")
	s.press("g:expert:")
	got := c.expectText(`公开听证[\s\S]*` + when)
	if got == "" {
		t.Fatal("no hearing notice")
	}
}
