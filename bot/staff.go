package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/store"
)

// staffMessage builds the staff chat message for a notice.
func staffMessage(n store.Notice, c dialogs.Case, lang string, loc *time.Location) dialogs.Message {
	if n.Kind == store.NoticeQuestion && n.Question != nil {
		return dialogs.StaffQuestion(*n.Question, lang, loc)
	}
	if n.Kind == store.NoticeWithdrawn {
		return dialogs.StaffWithdrawn(c, lang, loc, n.At)
	}
	return dialogs.StaffAlert(c, lang, loc)
}

func (t *Telegram) pokeStaff() {
	select {
	case t.wakeup <- struct{}{}:
	default:
	}
}

// staffLoop delivers staff notices in order, each at least once: a notice is removed only
// after Telegram accepted it. While the staff chat cannot be reached, notices wait.
func (t *Telegram) staffLoop(ctx context.Context) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	failures := 0
	for ctx.Err() == nil {
		sent, err := t.sendNextNotice(ctx)
		switch {
		case sent:
			failures = 0
			continue
		case err != nil:
			failures++
			wait := backoff(failures)
			t.log.Warn("staff notice not delivered; will retry", "code", errCode(err), "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		select {
		case <-ctx.Done():
		case <-t.wakeup:
		case <-tick.C:
		}
	}
}

// sendNextNotice sends the oldest notice; sent is false when there was none.
func (t *Telegram) sendNextNotice(ctx context.Context) (sent bool, err error) {
	n, ok, err := t.notices.NextNotice(ctx)
	if err != nil || !ok {
		return false, err
	}
	var c dialogs.Case
	if n.Kind != store.NoticeQuestion {
		c, err = t.notices.Get(ctx, n.Number)
	}
	if errors.Is(err, dialogs.ErrNotFound) {
		t.log.Error("a staff notice names a missing case; dropped", "case", n.Number)
		return true, t.notices.AckNotice(ctx, n)
	}
	if err != nil {
		return false, err
	}
	m := staffMessage(n, c, t.cfg.StaffLang, t.cfg.Location)
	for {
		err = t.deliver(ctx, t.staffChatID(), m, 0, nil)
		kind, te := classify(err)
		if err != nil && kind == errMigrated {
			t.setStaffChat(ctx, te.MigrateToChatID, true)
			continue
		}
		break
	}
	if kind, te := classify(err); err != nil && kind == errPermanent && !staffChatUnreachable(te) {
		// Telegram refuses this message itself: holding it would block every later notice.
		t.log.Error("Telegram refused a staff notice; dropped", "case", n.Number, "code", errCode(err), "err", redact(err, t.cfg.Token))
		return true, t.notices.AckNotice(ctx, n)
	}
	if err != nil {
		return false, err
	}
	return true, t.notices.AckNotice(ctx, n)
}

// staffChatUnreachable tells a refusal of the staff chat itself (the bot is not in it,
// or was removed), after which notices must wait, from a refusal of one message.
func staffChatUnreachable(te *tgbotapi.Error) bool {
	if te == nil {
		return true
	}
	d := strings.ToLower(te.Message)
	return te.Code == 403 || strings.Contains(d, "chat not found") || strings.Contains(d, "not enough rights") ||
		strings.Contains(d, "kicked") || strings.Contains(d, "not a member")
}
