package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/bot/fakeapi"
)

// A sim is a simulated petitioner for the crash and fault tests: it applies step by step
// as a patient user would, whatever happens to the bot. After each input it waits for a
// newer message that answers it — one offering the next step's button — and when the bot
// says its action was not saved ("try again") it does it again.

// step is one thing a petitioner does and how the bot's answer shows it was taken: a
// message offering the button then (a trailing "*" matches any rest), or, for the last
// step, a text matching thenText.
type step struct {
	text, press, photo string
	then               string
	thenText           *regexp.Regexp
}

// receiptRE matches a case number in the receipt.
var receiptRE = regexp.MustCompile(`JC-\d{4}-\d{6}`)

// applicationSteps is a whole application, from /start to the receipt.
func applicationSteps() []step {
	return []step{
		{text: "/start", then: "m:apply"}, {press: "m:apply", then: "f:consent:yes"},
		{press: "f:consent:yes", then: "f:consent_abroad:yes"}, {press: "f:consent_abroad:yes", then: "f:consent_sensitive:yes"},
		{press: "f:consent_sensitive:yes", then: "f:target:judgment"}, {press: "f:target:judgment", then: "f:retrial:rejected"},
		{press: "f:retrial:rejected", then: "f:retrial_late:no"}, {press: "f:retrial_late:no", then: "f:service:signed"},
		{press: "f:service:signed", then: "n:back:key_date"}, {text: recentServiceDate(), then: "f:applicant_type:individual"},
		{press: "f:applicant_type:individual", then: "n:back:name"}, {text: "张三", then: "f:id_type:resident"},
		{press: "f:id_type:resident", then: "n:back:id_number"}, {text: "520502198506120033", then: "n:back:ethnicity"},
		{text: "汉族", then: "n:skip:occupation"}, {press: "n:skip:occupation", then: "n:back:address"},
		{text: "贵州省毕节市七星关区某某路8号", then: "n:back:phone"}, {text: "13812345678", then: "f:representation:self"},
		{press: "f:representation:self", then: "n:back:body"}, {text: "某某镇人民政府", then: "n:skip:body_address"},
		{press: "n:skip:body_address", then: "n:back:court"}, {text: "毕节市中级人民法院", then: "n:back:case_number"},
		{text: "（2021）黔05行终123号", then: "n:back:judgment_date"}, {text: "2021-10-09", then: "f:dispute:land"},
		{press: "f:dispute:land", then: "n:back:request"}, {text: "请求检察院对该判决依法提出抗诉或者再审检察建议", then: "n:back:facts"},
		{text: "镇政府征收我家承包地，至今没有支付补偿款，法院判决错误。", then: "n:done:documents"},
		{photo: "photo-1", then: "n:done:documents"}, {press: "n:done:documents", then: "f:mediation:yes"},
		{press: "f:mediation:yes", then: "r:submit"}, {press: "r:submit", thenText: receiptRE},
	}
}

// sim is one simulated petitioner.
type sim struct {
	fake    *fakeapi.Server
	id      int64
	steps   []step
	retry   string        // the bot's "not saved, try again" notice
	think   time.Duration // pause before each input
	perStep time.Duration // how long to wait for an answer before giving up

	Retries int    // inputs sent again after a "try again"
	Number  string // the case number of the receipt
}

// run does every step, or returns why it could not.
func (s *sim) run(ctx context.Context) error {
	for i, st := range s.steps {
		for {
			if err := pause(ctx, s.think); err != nil {
				return err
			}
			n := len(s.fake.Sent(s.id))
			if err := s.send(st); err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
			answered, retry := false, false
			ok := s.fake.WaitFor(func() bool {
				if ctx.Err() != nil {
					return true
				}
				for _, m := range s.fake.Sent(s.id)[min(n, len(s.fake.Sent(s.id))):] {
					switch {
					case st.thenText != nil && st.thenText.MatchString(m.PlainText):
						s.Number = st.thenText.FindString(m.PlainText)
						answered = true
					case st.then != "" && buttonData(m, st.then) != "":
						answered = true
					case strings.TrimSpace(m.PlainText) == s.retry:
						retry = true
					}
				}
				return answered || retry
			}, s.perStep)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if answered {
				break
			}
			if !ok || !retry {
				return fmt.Errorf("step %d (%s%s%s): no answer within %v; latest: %s", i, st.text, st.press, st.photo, s.perStep, tail(s.fake.Sent(s.id)))
			}
			s.Retries++
		}
	}
	return nil
}

// send makes the step's input; a press goes to the newest message offering the button.
func (s *sim) send(st step) error {
	switch {
	case st.photo != "":
		s.fake.SendPhoto(s.id, s.id, st.photo)
	case st.press != "":
		sent := s.fake.Sent(s.id)
		for i := len(sent) - 1; i >= 0; i-- {
			if d := buttonData(sent[i], st.press); d != "" {
				s.fake.PressButton(s.id, s.id, sent[i].MessageID, d)
				return nil
			}
		}
		return fmt.Errorf("no message offers %q; latest: %s", st.press, tail(sent))
	default:
		s.fake.SendText(s.id, s.id, st.text)
	}
	return nil
}

func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// orderCheck reads a petitioner's chat: messages the same as an earlier one are re-sends
// (counted), and the others must follow the steps in order — each offers the button of
// the same or a later step than the one before. One exception, counted apart: shortly
// after a "try again" notice (retry), a message may answer the repeated input on a state
// that had moved on (the first try was stored after all, its reply lost with the storage
// connection). It returns the re-sends, those answers and the first message out of order.
func orderCheck(msgs []fakeapi.SentMessage, steps []step, retry string) (resent, repeated int, problem string) {
	seen := map[string]bool{}
	last, lastRetry := 0, -10
	for i, m := range msgs {
		if strings.TrimSpace(m.PlainText) == retry {
			lastRetry = i
		}
		key := m.Text + "\x00" + m.ReplyMarkup
		if seen[key] {
			resent++
			continue
		}
		seen[key] = true
		for j, st := range steps {
			if st.then != "" && buttonData(m, st.then) != "" {
				switch {
				case j >= last:
					last = j
				case i-lastRetry <= 3:
					repeated++
				default:
					return resent, repeated, fmt.Sprintf("message %d answers step %d after step %d: %.80q", i, j, last, m.PlainText)
				}
				break
			}
		}
	}
	return resent, repeated, ""
}

// staffSim accepts every case whose card offers it, as the staff user in the group,
// until ctx ends; a card that still offers the same press a while later (the bot could
// not store it and said so, or was killed) is pressed again, as a person would. It
// returns the presses made.
func staffSim(ctx context.Context, fake *fakeapi.Server) int {
	pressedAt := map[string]time.Time{}
	presses := 0
	for ctx.Err() == nil {
		for _, m := range fake.Sent(staffChat) {
			d := buttonData(m, "s:acc:*")
			if at, ok := pressedAt[d]; d == "" || ok && time.Since(at) < 3*time.Second {
				continue
			}
			fake.PressButton(staffChat, staffUser, m.MessageID, d)
			pressedAt[d] = time.Now()
			presses++
		}
		pause(ctx, 100*time.Millisecond)
	}
	return presses
}
