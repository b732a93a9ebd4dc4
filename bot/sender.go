package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

// queue hands a claimed batch to its recipient's sender; batches of one recipient are sent
// one after the other, different recipients concurrently.
func (t *Telegram) queue(ctx context.Context, b dialogs.Batch) {
	t.sends.do(b.To.String(), func() { t.sendBatch(ctx, b) })
}

// sendBatch delivers a batch in order, acknowledges it, and goes on with whatever the
// outbox says waits for the same recipient, until nothing does or a failure makes it wait.
func (t *Telegram) sendBatch(ctx context.Context, b dialogs.Batch) {
	for ctx.Err() == nil {
		sendCtx, stop := t.keepClaim(ctx, b)
		s := t.sendItems(sendCtx, b)
		lost := stop()
		if lost {
			t.log.Warn("another sender took over these deliveries; stopping", "to", b.To.String())
			return
		}
		next, more, ok := t.done(ctx, b, s)
		if !ok || !more {
			return
		}
		b = next
	}
}

// keepClaim renews b's claim every third of a lease while it is being sent (a 429 may
// make a send wait long). The returned context ends if the claim is lost; stop ends the
// renewals and reports whether it was.
func (t *Telegram) keepClaim(ctx context.Context, b dialogs.Batch) (context.Context, func() (lost bool)) {
	sendCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var lost bool
	go func() {
		defer close(done)
		tick := time.NewTicker(t.cfg.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-sendCtx.Done():
				return
			case <-tick.C:
				err := t.out.Renew(sendCtx, b)
				if errors.Is(err, dialogs.ErrLeaseLost) {
					lost = true
					cancel()
					return
				}
				if err != nil && sendCtx.Err() == nil {
					t.log.Warn("renewing a claim on deliveries failed", "to", b.To.String(), "err", err)
				}
			}
		}
	}()
	return sendCtx, func() bool {
		cancel()
		<-done
		return lost
	}
}

// done acknowledges a batch, retrying storage failures until they pass (a sent message is
// never sent again because storage was briefly away), the claim is lost, or ctx ends.
// Between tries it renews the claim, so that a sweeper does not take over what is sent;
// tries come at most storageRetryMax apart, so the rest of the recipient's deliveries
// follow as soon as storage is back. A claim that expired meanwhile with nobody taking it
// is taken again by the acknowledgement itself.
func (t *Telegram) done(ctx context.Context, b dialogs.Batch, s dialogs.Sent) (dialogs.Batch, bool, bool) {
	for attempt := 1; ; attempt++ {
		next, more, err := t.out.Done(ctx, b, s)
		switch {
		case err == nil:
			if attempt > 1 {
				t.log.Info("recorded sent messages after storage came back", "to", b.To.String(), "attempts", attempt)
			}
			return next, more, true
		case errors.Is(err, dialogs.ErrLeaseLost):
			t.log.Warn("another sender took over these deliveries; stopping", "to", b.To.String())
			return dialogs.Batch{}, false, false
		}
		wait := storageBackoff(attempt)
		t.log.Warn("recording sent messages failed; will retry", "to", b.To.String(), "err", err, "retry_in", wait)
		if !sleep(ctx, wait) {
			return dialogs.Batch{}, false, false
		}
		if err := t.out.Renew(ctx, b); errors.Is(err, dialogs.ErrLeaseLost) {
			t.log.Warn("another sender took over these deliveries; stopping", "to", b.To.String())
			return dialogs.Batch{}, false, false
		}
	}
}

// storageRetryMax is the longest wait between two tries of an acknowledgement.
const storageRetryMax = time.Second

// storageBackoff returns 100ms, 200ms, 400ms … capped at storageRetryMax.
func storageBackoff(attempt int) time.Duration {
	return min(100*time.Millisecond<<min(attempt-1, 6), storageRetryMax)
}

// retryLater is how long a recipient waits after sending failed for good for now.
const retryLater = 30 * time.Second

// sendItems sends a batch's deliveries in order and says how far it got. A delivery
// Telegram refuses for itself (the user blocked the bot, a bad request) is dropped with a
// log line; a transient failure, or the staff chat being unreachable, stops the batch to be
// tried again later; a revoked token or wrong endpoint (401, 404) stops it too and keeps
// everything queued. Of several card versions, only the newest is sent.
func (t *Telegram) sendItems(ctx context.Context, b dialogs.Batch) dialogs.Sent {
	s := dialogs.Sent{Kept: map[string]string{}}
	for i, it := range b.Items {
		if it.Card != "" && newerCard(b.Items[i+1:], it.Card) {
			continue // a newer version of the same card follows
		}
		if it.Proactive {
			switch ok, stop := t.markProactive(ctx, b, i, it); {
			case stop != nil:
				stop.Kept = s.Kept
				return *stop
			case !ok:
				continue
			}
		}
		var parts []string
		if it.File == nil && it.Upload == nil && it.Card == "" {
			parts = t.parts(it.Msg)
			if i > 0 && len(parts) > 1 {
				// A long message records its parts as it goes, which needs it at the head
				// of the stored queue: acknowledge what was sent first.
				return dialogs.Sent{N: i, Kept: s.Kept}
			}
		}
		err := t.sendOne(withProactive(ctx, it.Proactive), b, it, parts, s.Kept)
		if err == nil {
			continue
		}
		if it.Proactive { // it did not go: a retry may send it
			if err := t.out.Mark(ctx, b, it.ID, false); err != nil {
				t.log.Warn("clearing the record of a timed message being sent failed; it will not be retried", "to", it.To.String(), "err", err)
			}
		}
		kind, te := classify(err)
		chat := it.To.Chat
		if it.To.Staff {
			chat = t.staffChatID()
		}
		switch {
		case kind == errFatal:
			t.log.Error("the Bot API refuses the token or the endpoint (check TELEGRAM_BOT_TOKEN and TELEGRAM_API_ENDPOINT); messages are kept until it accepts them",
				"code", errCode(err), "err", redact(err, t.cfg.Token))
			return dialogs.Sent{N: i, Kept: s.Kept, RetryIn: retryLater.Milliseconds()}
		case kind == errPermanent && !(it.To.Staff && staffChatUnreachable(te)):
			t.log.Error("Telegram refused a message; dropped", "chat", chat, "code", errCode(err), "err", redact(err, t.cfg.Token))
			if it.About != "" {
				t.report(ctx, it)
			}
		case it.To.Staff && kind == errPermanent:
			t.log.Error("the staff chat is not reachable: add the bot to it and check STAFF_CHAT_ID; messages wait until it is",
				"staff_chat", t.staffChatID(), "code", errCode(err))
			return dialogs.Sent{N: i, Kept: s.Kept, RetryIn: retryLater.Milliseconds()}
		default:
			if ctx.Err() == nil {
				t.log.Warn("sending failed; will retry", "chat", chat, "code", errCode(err))
			}
			return dialogs.Sent{N: i, Kept: s.Kept, RetryIn: retryLater.Milliseconds()}
		}
	}
	s.N = len(b.Items)
	return s
}

// markProactive waits for item i of b's slot, then records that it is about to be sent,
// so that a sender taking over after a crash does not send it again: the record is made
// only when the message leaves, so that a crash while waiting loses nothing. ok false:
// it was already in flight when its sender stopped; it is skipped (and logged), never
// resent automatically. stop non-nil: end the batch there (the item must first become the
// head of the stored queue, or the claim was lost, or recording failed).
func (t *Telegram) markProactive(ctx context.Context, b dialogs.Batch, i int, it dialogs.Pending) (ok bool, stop *dialogs.Sent) {
	switch {
	case it.InFlight:
		t.log.Warn("a timed message was being sent when its sender stopped; not sent again (it may or may not have arrived)",
			"to", it.To.String(), "delivery", it.ID)
		return false, nil
	case i > 0:
		return false, &dialogs.Sent{N: i}
	}
	if err := t.waitSlot(ctx, it.To.Chat); err != nil {
		if ctx.Err() == nil {
			t.log.Warn("reserving a slot for a timed message failed; will retry", "to", it.To.String(), "err", err)
		}
		return false, &dialogs.Sent{N: i, RetryIn: time.Second.Milliseconds()}
	}
	switch err := t.out.Mark(ctx, b, it.ID, true); {
	case errors.Is(err, dialogs.ErrLeaseLost):
		return false, &dialogs.Sent{N: i} // another sender has it (or sent it): Done finds out
	case err != nil:
		t.log.Warn("recording a timed message before sending it failed; will retry", "to", it.To.String(), "err", err)
		return false, &dialogs.Sent{N: i, RetryIn: (5 * time.Second).Milliseconds()}
	}
	return true, nil
}

// report tells the engine that Telegram refused a proactive message for good (the
// petitioner blocked the bot), so that what it was for is recorded (a check-in:
// unreachable, no reminder).
func (t *Telegram) report(ctx context.Context, it dialogs.Pending) {
	in := dialogs.Input{Kind: dialogs.KindUndeliverable, ChatID: it.To.Chat, Data: it.About}
	res, err := t.svc.Process(ctx, "undeliverable:"+it.ID, in)
	if err != nil {
		t.log.Warn("recording a refused timed message failed", "to", it.To.String(), "delivery", it.ID, "err", err)
		return
	}
	for _, b := range res.Batches {
		t.queue(ctx, b)
	}
}

// newerCard reports whether a later delivery carries the same card.
func newerCard(rest []dialogs.Pending, card string) bool {
	for _, it := range rest {
		if it.Card == card {
			return true
		}
	}
	return false
}

// sendOne sends one delivery (parts: a plain message already rendered); the staff chat's
// migration is followed.
func (t *Telegram) sendOne(ctx context.Context, b dialogs.Batch, it dialogs.Pending, parts []string, kept map[string]string) error {
	if it.ID == "undecodable" {
		t.log.Error("a stored message cannot be decoded; dropped", "to", it.To.String())
		return nil
	}
	for {
		chat := it.To.Chat
		if it.To.Staff {
			chat = t.staffChatID()
		}
		err := t.sendTo(ctx, b, chat, it, parts, kept)
		if kind, te := classify(err); err != nil && kind == errMigrated && it.To.Staff {
			t.setStaffChat(ctx, te.MigrateToChatID, true)
			continue
		}
		return err
	}
}

func (t *Telegram) sendTo(ctx context.Context, b dialogs.Batch, chat int64, it dialogs.Pending, parts []string, kept map[string]string) error {
	switch {
	case it.File != nil || it.Upload != nil:
		return t.sendFile(ctx, chat, it)
	case it.Card != "":
		return t.sendCard(ctx, chat, it, kept)
	}
	progress := func(n int) {
		if err := t.out.Progress(ctx, b, it.ID, n); err != nil {
			t.log.Warn("recording a sent part failed; it may be sent again", "to", it.To.String(), "err", err)
		}
	}
	_, err := t.deliverParts(ctx, chat, it.Msg, parts, it.PartsSent, progress)
	return err
}

// sendCard edits the card's kept message in place, or sends it and keeps its id when
// there is none in this chat (or it was deleted).
func (t *Telegram) sendCard(ctx context.Context, chat int64, it dialogs.Pending, kept map[string]string) error {
	msgChat, msgID := splitKept(kept[it.Card])
	if msgID == 0 {
		msgChat, msgID = splitKept(it.CardMsg)
	}
	text := t.parts(it.Msg)[0]
	if msgID != 0 && msgChat == chat {
		edit := tgbotapi.NewEditMessageText(chat, msgID, text)
		edit.ParseMode = tgbotapi.ModeHTML
		edit.DisableWebPagePreview = true
		edit.ReplyMarkup = t.keyboard(it.Msg) // none removes the old buttons
		_, err := t.call(ctx, chat, edit)
		var te *tgbotapi.Error
		switch {
		case err == nil:
			return nil
		case errors.As(err, &te) && strings.Contains(te.Message, "message is not modified"):
			return nil
		case !errors.As(err, &te) || !(strings.Contains(te.Message, "message to edit not found") || strings.Contains(te.Message, "can't be edited")):
			return err
		}
		// The card was deleted: send it again below.
	}
	id, err := t.deliver(ctx, chat, dialogs.Message{Lang: it.Msg.Lang, Parts: it.Msg.Parts, Buttons: it.Msg.Buttons}, 0, nil)
	if err != nil {
		return err
	}
	kept[it.Card] = strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(id)
	return nil
}

func splitKept(s string) (int64, int) {
	c, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0
	}
	chat, err1 := strconv.ParseInt(c, 10, 64)
	id, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return chat, id
}

// sendFile re-sends a document or photo by its Telegram file id, or uploads a document the
// bot made, with the message as caption (cut to Telegram's caption limit).
func (t *Telegram) sendFile(ctx context.Context, chat int64, it dialogs.Pending) error {
	text, err := t.render.HTML(it.Msg)
	if err != nil {
		t.log.Error("a message is missing from the locales", "err", err)
	}
	caption := Split(text, maxCaption)[0]
	if it.Upload != nil {
		d := tgbotapi.NewDocument(chat, tgbotapi.FileBytes{Name: it.Upload.Name, Bytes: it.Upload.Data})
		d.Caption, d.ParseMode = caption, tgbotapi.ModeHTML
		_, err := t.call(ctx, chat, d)
		return err
	}
	file := tgbotapi.FileID(it.File.FileID)
	var c tgbotapi.Chattable
	if it.File.Type == "photo" {
		p := tgbotapi.NewPhoto(chat, file)
		p.Caption, p.ParseMode = caption, tgbotapi.ModeHTML
		c = p
	} else {
		d := tgbotapi.NewDocument(chat, file)
		d.Caption, d.ParseMode = caption, tgbotapi.ModeHTML
		c = d
	}
	_, err = t.call(ctx, chat, c)
	return err
}

// maxCaption is the longest caption Telegram accepts, in UTF-16 code units.
const maxCaption = 1024

// sweep claims the deliveries no sender holds (after a restart, a failure, or a crashed
// sender's expired claim) and queues them; it returns when to look again.
func (t *Telegram) sweep(ctx context.Context) time.Duration {
	wait := t.cfg.SweepEvery
	for ctx.Err() == nil {
		batches, next, err := t.out.Claim(ctx, 100)
		if err != nil {
			t.log.Warn("looking for waiting messages failed", "err", err)
			return min(wait, 5*time.Second)
		}
		for _, b := range batches {
			t.queue(ctx, b)
		}
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 50*time.Millisecond))
		}
		if len(batches) < 100 {
			break
		}
	}
	return wait
}

func (t *Telegram) sweepLoop(ctx context.Context) {
	for {
		wait := t.sweep(ctx)
		if !sleep(ctx, wait) {
			return
		}
	}
}

// staffChatUnreachable tells a refusal of the staff chat itself (the bot is not in it, or
// was removed), after which messages must wait, from a refusal of one message.
func staffChatUnreachable(te *tgbotapi.Error) bool {
	if te == nil {
		return true
	}
	d := strings.ToLower(te.Message)
	return te.Code == 403 || strings.Contains(d, "chat not found") || strings.Contains(d, "not enough rights") ||
		strings.Contains(d, "kicked") || strings.Contains(d, "not a member")
}
