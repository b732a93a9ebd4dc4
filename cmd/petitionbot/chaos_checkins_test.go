package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// The check-ins of the crash test: staff close the cases as settled while the bot is
// being killed, and the check-ins fall due during the kills. The settings make them
// quick: the first check-in a second after the case closes, the second three seconds
// after, each reminded two seconds after it went, at any hour, and a killed process's
// claim on a due job lasts a second (JOB_LEASE).

// chaosFollowupEnv is the configuration of check-ins in the crash test.
var chaosFollowupEnv = []string{"FOLLOWUP_OFFSETS", "1s,3s", "FOLLOWUP_HOURS", "00:00-24:00", "FOLLOWUP_REMINDER", "2s",
	"STAFF_DIGEST_AT", "off", "JOB_LEASE", "1s"}

// closers are the staff users who close cases in the crash test (the accepting staff
// user is apart).
var closers = []int64{staffUser + 1, staffUser + 2, staffUser + 3}

// chaosAgreed is what the closers record as agreed.
const chaosAgreed = "镇政府月底前支付补偿款七万元"

// closer is a staff user who closes cases as settled, one at a time, as a patient person
// would: from the case's card in the staff group through the close form in their private
// chat; a form the bot did not take forward within a while is begun again.
type closer struct {
	fake *fakeapi.Server
	db   *store.DB
	user int64

	Forms int // close forms begun
}

// run closes every case number that comes on todo, until todo is closed and drained or
// ctx ends; it returns the first case it could not close.
func (c *closer) run(ctx context.Context, todo <-chan string) error {
	for number := range todo {
		if err := c.close(ctx, number); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	return nil
}

// close closes case number (once it offers closing), or says why it could not.
func (c *closer) close(ctx context.Context, number string) error {
	const step = 10 * time.Second // a patient person's wait for the bot to answer
	for range 30 {
		if done, err := c.closed(ctx, number); done || err != nil {
			return err
		}
		card, ok := c.newest(ctx, staffChat, 0, step, func(m fakeapi.SentMessage) bool { return hasButton(m, "s:clo:"+number+":*") })
		if !ok {
			continue
		}
		n := len(c.fake.Sent(c.user))
		c.Forms++
		c.fake.PressButton(staffChat, c.user, card.MessageID, buttonData(card, "s:clo:"+number+":*"))
		prompt, ok := c.newest(ctx, c.user, n, step, func(m fakeapi.SentMessage) bool { return hasButton(m, "g:outcome:settled") })
		if !ok {
			continue
		}
		n = len(c.fake.Sent(c.user))
		c.fake.PressButton(c.user, c.user, prompt.MessageID, "g:outcome:settled")
		if _, ok := c.newest(ctx, c.user, n, step, func(m fakeapi.SentMessage) bool {
			return hasButton(m, "g:cancel") && !hasButton(m, "g:outcome:*")
		}); !ok {
			continue
		}
		c.fake.SendText(c.user, c.user, chaosAgreed)
		c.fake.WaitFor(func() bool { done, _ := c.closed(ctx, number); return done || ctx.Err() != nil }, step)
	}
	return fmt.Errorf("closer %d: case %s not closed after 30 forms", c.user, number)
}

// closed reports whether case number is closed, as the store has it.
func (c *closer) closed(ctx context.Context, number string) (bool, error) {
	cs, err := c.db.Get(ctx, number)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return err == nil && cs.Status == dialogs.StatusClosed, nil
}

// newest waits up to d for a message of chat, from index from on, that ok accepts, and
// returns the newest such.
func (c *closer) newest(ctx context.Context, chat int64, from int, d time.Duration, ok func(fakeapi.SentMessage) bool) (fakeapi.SentMessage, bool) {
	var found fakeapi.SentMessage
	got := c.fake.WaitFor(func() bool {
		if ctx.Err() != nil {
			return true
		}
		sent := c.fake.Sent(chat)
		for i := len(sent) - 1; i >= from; i-- {
			if ok(sent[i]) {
				found = sent[i]
				return true
			}
		}
		return false
	}, d)
	return found, got && ctx.Err() == nil
}

// answers reports whether petitioner id answers check-in n ("fully"): petitioners whose
// id is odd answer their first one; every other check-in goes unanswered, to be reminded
// and then recorded as no response.
func answers(id int64, n int) bool { return id%2 == 1 && n == 1 }

// answerer is the petitioners answering check-ins (answers): each presses "fully" on
// their first check-in once it arrives. It returns when ctx ends, with the presses made.
func answerer(ctx context.Context, fake *fakeapi.Server, cases func() map[int64]string) int {
	pressed := map[int64]bool{}
	for ctx.Err() == nil {
		for id, number := range cases() {
			if !answers(id, 1) || pressed[id] {
				continue
			}
			for _, m := range fake.Sent(id) {
				if d := "v:" + number + ":1:f"; hasButton(m, d) {
					fake.PressButton(id, id, m.MessageID, d)
					pressed[id] = true
					break
				}
			}
		}
		pause(ctx, 100*time.Millisecond)
	}
	return len(pressed)
}

// checkinCount is what arrived of the check-ins of the crash test.
type checkinCount struct {
	Asked, Reminded, Answered int // messages asking, reminders; check-ins answered
	Alerts                    int // staff told of a check-in unanswered
	Lost                      int // check-ins, reminders or alerts that never arrived, each explained by the log
	Duplicates                int // one that arrived twice (never allowed)
}

// checkCheckins reads, for each petitioner's closed case, the check-ins in their chat and
// in the store: each of the two went out once and, unless it was answered, was reminded
// once and then recorded as unanswered. A check-in or reminder may be missing only when
// a process was killed while sending it (Telegram has no idempotency key, so it is never
// sent again): the log then says "not sent again" for that chat, once for each one
// missing. An unanswered check-in is told to the staff group, once, under the same rule.
// Nothing may arrive twice. It returns what is wrong, and the counts.
func checkCheckins(t *testing.T, fake *fakeapi.Server, db *store.DB, cases map[int64]string, logs string) ([]string, checkinCount) {
	t.Helper()
	var cnt checkinCount
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	alertsMissing := 0
	for id, number := range cases {
		c, err := db.Get(context.Background(), number)
		if err != nil {
			bad("case %s: %v", number, err)
			continue
		}
		if len(c.Checkins) != 2 {
			bad("case %s: %d check-ins planned, want 2", number, len(c.Checkins))
			continue
		}
		ask, remind := say(t, "checkin.ask", "Number", number), say(t, "checkin.remind", "Number", number)
		missing := 0
		for _, ci := range c.Checkins {
			asked := arrived(fake, id, ask, number, ci.N)
			reminded := arrived(fake, id, remind, number, ci.N)
			wantResult := dialogs.CheckinNoResponse
			if answers(id, ci.N) {
				wantResult = dialogs.CheckinFully
			}
			switch {
			case ci.Sent.IsZero():
				bad("case %s: check-in %d never fired", number, ci.N)
			case ci.Result != wantResult:
				bad("case %s: check-in %d recorded %q, want %q", number, ci.N, ci.Result, wantResult)
			case wantResult == dialogs.CheckinNoResponse && ci.Reminded.IsZero():
				bad("case %s: check-in %d unanswered but never reminded", number, ci.N)
			}
			if asked > 1 || reminded > 1 {
				bad("petitioner %d: check-in %d of %s arrived %d times, its reminder %d times:%s", id, ci.N, number, asked, reminded, listing(fake.Sent(id)))
				cnt.Duplicates += max(asked-1, 0) + max(reminded-1, 0)
			}
			missing += 1 - min(asked, 1)
			if !ci.Reminded.IsZero() {
				missing += 1 - min(reminded, 1)
			}
			if ci.Result == dialogs.CheckinNoResponse { // the staff are told, once
				alert, _, _ := strings.Cut(say(t, "checkin.alert_silent", "Number", number, "N", strconv.Itoa(ci.N)), "，已记为")
				switch n := startingWith(fake.Sent(staffChat), alert); {
				case n > 1:
					bad("case %s: the staff were told %d times that check-in %d went unanswered", number, n, ci.N)
					cnt.Duplicates += n - 1
				case n == 0:
					alertsMissing++
				}
				cnt.Alerts++
			}
			cnt.Asked += asked
			cnt.Reminded += reminded
			if ci.Result.Answered() {
				cnt.Answered++
			}
		}
		if explained := strings.Count(logs, "not sent again (it may or may not have arrived)\" to=chat:"+strconv.FormatInt(id, 10)+" "); missing > explained {
			bad("petitioner %d (%s): %d check-ins or reminders missing, %d explained by the log:%s", id, number, missing, explained, listing(fake.Sent(id)))
		}
		cnt.Lost += missing
	}
	if explained := strings.Count(logs, "not sent again (it may or may not have arrived)\" to=staff "); alertsMissing > explained {
		bad("%d alerts of unanswered check-ins missing in the staff group, %d explained by the log", alertsMissing, explained)
	}
	cnt.Lost += alertsMissing
	return problems, cnt
}

// startingWith counts the messages whose text begins with text.
func startingWith(ms []fakeapi.SentMessage, text string) int {
	n := 0
	for _, m := range ms {
		if strings.HasPrefix(m.PlainText, text) {
			n++
		}
	}
	return n
}

// arrived counts the messages of chat that begin with text and offer the buttons of
// check-in n of case number.
func arrived(fake *fakeapi.Server, chat int64, text, number string, n int) int {
	count := 0
	for _, m := range fake.Sent(chat) {
		if strings.HasPrefix(m.PlainText, text) && hasButton(m, "v:"+number+":"+strconv.Itoa(n)+":f") {
			count++
		}
	}
	return count
}

// listing is one line per message: its id, its first words and its first button.
func listing(ms []fakeapi.SentMessage) string {
	var b strings.Builder
	for _, m := range ms {
		first := ""
		if len(m.Buttons) > 0 && len(m.Buttons[0]) > 0 {
			first = m.Buttons[0][0].Data
		}
		fmt.Fprintf(&b, "\n  #%d %.40s [%s]", m.MessageID, strings.ReplaceAll(m.PlainText, "\n", " "), first)
	}
	return b.String()
}
