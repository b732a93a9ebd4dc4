package main

import (
	"strings"
	"testing"
	"time"
)

// TestTelegramEndToEnd runs the real program against the fake Bot API: a petitioner
// applies with buttons and text, staff get exactly one alert, /status lists the case,
// and SIGTERM (a cancelled context) ends the program cleanly with every update confirmed.
func TestTelegramEndToEnd(t *testing.T) {
	fake, _, prefix := newFake(t, "supergroup")
	stop := runBot(t, env(fake, prefix))

	c := &chat{t: t, fake: fake, id: petitioner}
	c.firstHalf()
	c.secondHalf()

	review := c.expect("r:submit")
	if !strings.Contains(review.Text, "&lt;b&gt;&amp;&lt;/b&gt;") {
		t.Errorf("user text not escaped in the review: %q", review.Text)
	}
	c.press("r:submit")
	number := c.expectText(`JC-\d{4}-\d{6}`)

	if !fake.WaitFor(func() bool { return len(fake.Sent(staffChat)) >= 1 }, wait) {
		t.Fatal("no case card in the staff chat")
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would arrive by now
	cards := fake.Sent(staffChat)
	if len(cards) != 1 {
		t.Fatalf("%d staff messages, want exactly 1 card", len(cards))
	}
	a := cards[0].PlainText
	for _, want := range []string{number, "某某镇人民政府", "毕节市中级人民法院"} {
		if !strings.Contains(a, want) {
			t.Errorf("the card lacks %q:\n%s", want, a)
		}
	}
	for _, personal := range []string{"张三", "520502198506120033", "0033", "13812345678", "某某路8号", "补偿款"} {
		if strings.Contains(a, personal) {
			t.Errorf("the card in the staff group shows %q:\n%s", personal, a)
		}
	}

	before := len(fake.Sent(petitioner))
	fake.SendText(petitioner, petitioner, "/status")
	c.expect("w:" + number)
	if len(fake.Sent(petitioner)) <= before {
		t.Fatal("no answer to /status")
	}

	presses := 0
	for _, q := range fake.Calls("answerCallbackQuery") {
		if q.Get("callback_query_id") != "" {
			presses++
		}
	}
	if presses == 0 || presses != len(fake.AnsweredCallbacks()) {
		t.Errorf("answered %d of the presses", presses)
	}

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after SIGTERM", err)
	}
	if fake.Pending() != 0 {
		t.Errorf("%d updates left unconfirmed", fake.Pending())
	}
}

// TestStaffChatMigration: a staff group upgraded to a supergroup is followed.
func TestStaffChatMigration(t *testing.T) {
	fake, _, prefix := newFake(t, "group")
	newID := int64(-1009999)
	fake.MigrateChat(staffChat, newID)
	runBot(t, env(fake, prefix))

	c := &chat{t: t, fake: fake, id: petitioner}
	c.firstHalf()
	c.secondHalf()
	c.press("r:submit")
	c.expectText(`JC-\d{4}-\d{6}`)
	if !fake.WaitFor(func() bool { return containing(fake, newID, "JC-") == 1 }, wait) {
		t.Fatalf("the alert did not reach the migrated chat: old %d, new %d", len(fake.Sent(staffChat)), len(fake.Sent(newID)))
	}
	if !strings.Contains(fake.Sent(newID)[0].PlainText, "STAFF_CHAT_ID") {
		t.Errorf("the migration was not reported in the new staff chat: %q", fake.Sent(newID)[0].PlainText)
	}
}
