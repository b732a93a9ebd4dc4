package bot

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

// processAttempts is how often an update is tried when storage fails, before the user is
// asked to try again.
const processAttempts = 3

// dispatch queues an update on its chat's worker. stored is called once the update's
// effects are stored (or it was ignored), so the poller may confirm it; the deliveries the
// commit claimed are then sent, apart from handling.
func (t *Telegram) dispatch(ctx context.Context, u tgbotapi.Update, stored func()) {
	in, ok := t.input(ctx, u)
	if !ok {
		stored()
		return
	}
	t.noteFlood(ctx, in)
	t.disp.do(in.ChatID, func() {
		once := sync.OnceFunc(stored)
		defer once() // even if handling panicked, the poller must go on
		start := time.Now()
		// The update id alone names it: stored as an integer, it takes least room among a
		// chat's handled updates.
		res, ok := t.process(ctx, strconv.Itoa(u.UpdateID), in)
		if t.cfg.Observe != nil {
			t.cfg.Observe(time.Since(start))
		}
		if u.CallbackQuery != nil {
			t.answerCallback(ctx, u.CallbackQuery, res)
		}
		once()
		if res.Refused {
			t.log.Info("refused a staff action from someone who is not staff", "chat", in.ChatID, "user", in.UserID)
		}
		if !ok { // nothing was stored: say so, and leave the buttons to press again
			t.sends.do(dialogs.ToChat(in.ChatID).String(), func() {
				msg := dialogs.Message{Lang: t.langFor(in), Parts: []dialogs.Text{dialogs.T("error.retry")}}
				if _, err := t.deliver(ctx, in.ChatID, msg, 0, nil); err != nil {
					t.log.Error("could not tell the user to try again", "chat", in.ChatID, "code", errCode(err))
				}
			})
			return
		}
		for _, b := range res.Batches {
			t.queue(ctx, b)
		}
	})
}

// process runs the service, retrying storage failures; false when they persisted (the
// caller then asks the user to try again).
func (t *Telegram) process(ctx context.Context, key string, in dialogs.Input) (dialogs.Result, bool) {
	var err error
	for attempt := 1; attempt <= processAttempts; attempt++ {
		var res dialogs.Result
		if res, err = t.svc.Process(ctx, key, in); err == nil {
			return res, true
		}
		t.log.Warn("handling an update failed", "chat", in.ChatID, "update", key, "attempt", attempt, "err", err)
		if attempt == processAttempts || !sleep(ctx, backoff(attempt)) {
			break
		}
	}
	if ctx.Err() == nil {
		t.log.Error("giving up on an update; the user is asked to try again", "chat", in.ChatID, "update", key, "err", err)
	}
	return dialogs.Result{}, false
}

func (t *Telegram) langFor(in dialogs.Input) string {
	return dialogs.MatchLang(in.LangCode, t.cfg.StaffLang)
}

// input turns an update into a dialogs.Input (see toInput), follows the staff chat's
// migration and answers a button press it ignores.
func (t *Telegram) input(ctx context.Context, u tgbotapi.Update) (dialogs.Input, bool) {
	in, migrated, ok := toInput(u, t.staffChatID())
	if migrated != 0 {
		t.setStaffChat(ctx, migrated, true)
	}
	if !ok && u.CallbackQuery != nil {
		t.answerCallback(ctx, u.CallbackQuery, dialogs.Result{})
	}
	return in, ok
}

// toInput decodes an update for the engine. Private chats and the staff chat talk to the
// engine (which decides who may do what there): in the staff chat only commands and
// button presses, elsewhere every message; an edit in a private chat becomes an
// unsupported input of kind dialogs.UnsupportedEdit. Other groups, channels and kinds of
// update are ignored (ok false), as is a chat id 0, which Telegram never sends and no
// reply could be addressed to. migrated is the staff chat's new id when the update says
// it became a supergroup.
func toInput(u tgbotapi.Update, staffChat int64) (in dialogs.Input, migrated int64, ok bool) {
	if cq := u.CallbackQuery; cq != nil {
		if cq.Message == nil || cq.Message.Chat == nil || cq.Message.Chat.ID == 0 || !(cq.Message.Chat.IsPrivate() || cq.Message.Chat.ID == staffChat) {
			return dialogs.Input{}, 0, false
		}
		return dialogs.Input{
			ChatID: cq.Message.Chat.ID, UserID: userID(cq.From), UserName: userName(cq.From), LangCode: langCode(cq.From),
			StaffChat: !cq.Message.Chat.IsPrivate(), Kind: dialogs.KindButton, Data: cq.Data,
		}, 0, true
	}
	if m := u.EditedMessage; m != nil {
		// An edit cannot undo what the first version did: a private chat is told to send
		// the correction anew; edits elsewhere are ignored.
		if m.Chat == nil || m.Chat.ID == 0 || !m.Chat.IsPrivate() {
			return dialogs.Input{}, 0, false
		}
		return dialogs.Input{ChatID: m.Chat.ID, UserID: userID(m.From), UserName: userName(m.From), LangCode: langCode(m.From),
			Kind: dialogs.KindUnsupported, Unsupported: dialogs.UnsupportedEdit}, 0, true
	}
	m := u.Message
	if m == nil || m.Chat == nil || m.Chat.ID == 0 {
		return dialogs.Input{}, 0, false
	}
	if m.MigrateToChatID != 0 && m.Chat.ID == staffChat {
		return dialogs.Input{}, m.MigrateToChatID, false
	}
	staff := m.Chat.ID == staffChat
	if !m.Chat.IsPrivate() && !(staff && strings.HasPrefix(strings.TrimSpace(m.Text), "/")) {
		return dialogs.Input{}, 0, false
	}
	in = dialogs.Input{ChatID: m.Chat.ID, UserID: userID(m.From), UserName: userName(m.From), LangCode: langCode(m.From), StaffChat: staff}
	switch {
	case m.Text != "":
		in.Kind, in.Text = dialogs.KindText, m.Text
	case len(m.Photo) > 0:
		p := m.Photo[len(m.Photo)-1] // the largest size
		in.Kind = dialogs.KindAttachment
		in.Attachment = dialogs.Attachment{FileID: p.FileID, Name: "photo.jpg", Type: "photo", Size: int64(p.FileSize)}
	case m.Document != nil:
		in.Kind = dialogs.KindAttachment
		in.Attachment = dialogs.Attachment{FileID: m.Document.FileID, Name: m.Document.FileName, Type: "document", Size: int64(m.Document.FileSize)}
	default:
		in.Kind, in.Unsupported = dialogs.KindUnsupported, unsupportedKind(m)
	}
	return in, 0, true
}

func unsupportedKind(m *tgbotapi.Message) string {
	switch {
	case m.Voice != nil:
		return "voice"
	case m.Audio != nil:
		return "audio"
	case m.VideoNote != nil:
		return "video_note"
	case m.Video != nil:
		return "video"
	case m.Sticker != nil:
		return "sticker"
	case m.Animation != nil:
		return "animation"
	case m.Venue != nil:
		return "venue"
	case m.Location != nil:
		return "location"
	case m.Contact != nil:
		return "contact"
	case m.Poll != nil:
		return "poll"
	case m.Dice != nil:
		return "dice"
	}
	return "unknown"
}

func userID(u *tgbotapi.User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

func userName(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

func langCode(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	return u.LanguageCode
}

// answerCallback answers a button press (Telegram shows a spinner until then) with the
// engine's toast, once and without retries: it is cosmetic, and must not hold the chat's
// updates. Old keyboards are left in place: a stale press is refused by the engine.
func (t *Telegram) answerCallback(ctx context.Context, cq *tgbotapi.CallbackQuery, res dialogs.Result) {
	if err := t.limits.wait(ctx, 0); err != nil {
		return
	}
	text := ""
	if res.Toast != nil {
		text, _ = t.render.Label(res.Lang, *res.Toast)
	}
	if _, err := t.request(tgbotapi.NewCallback(cq.ID, text)); err != nil {
		t.log.Warn("answerCallbackQuery failed", "code", errCode(err))
	}
}
