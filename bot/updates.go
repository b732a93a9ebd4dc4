package bot

import (
	"context"
	"strconv"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

// processAttempts is how often an update is tried when storage fails, before the user is
// asked to try again.
const processAttempts = 3

// dispatch queues an update on its chat's worker. stored is called once the update's
// effects are stored (or it was ignored), so the poller may confirm it; the worker then
// delivers the chat's outbox.
func (t *Telegram) dispatch(ctx context.Context, u tgbotapi.Update, stored func()) {
	in, ok := t.input(ctx, u)
	if !ok {
		stored()
		return
	}
	t.disp.do(in.ChatID, func() {
		once := sync.OnceFunc(stored)
		defer once() // even if handling panicked, the poller must go on
		if u.CallbackQuery != nil {
			t.answerCallback(ctx, u.CallbackQuery)
		}
		ok := t.process(ctx, "tg:"+strconv.Itoa(u.UpdateID), in)
		once()
		t.sends.do(in.ChatID, func() {
			if !ok { // nothing was stored: say so, and leave the buttons to press again
				msg := dialogs.Message{Lang: t.langFor(in), Parts: []dialogs.Text{dialogs.T("error.retry")}}
				if err := t.deliver(ctx, in.ChatID, msg, 0, nil); err != nil {
					t.log.Error("could not tell the user to try again", "chat", in.ChatID, "code", errCode(err))
				}
			} else if u.CallbackQuery != nil {
				t.removeButtons(ctx, u.CallbackQuery)
			}
			t.flush(ctx, in.ChatID)
		})
		t.pokeStaff()
	})
}

// process runs the service, retrying storage failures; false when they persisted (the
// caller then asks the user to try again).
func (t *Telegram) process(ctx context.Context, key string, in dialogs.Input) bool {
	var err error
	for attempt := 1; attempt <= processAttempts; attempt++ {
		if err = t.svc.Process(ctx, key, in); err == nil {
			return true
		}
		t.log.Warn("handling an update failed", "chat", in.ChatID, "update", key, "attempt", attempt, "err", err)
		if attempt == processAttempts || !sleep(ctx, backoff(attempt)) {
			break
		}
	}
	if ctx.Err() == nil {
		t.log.Error("giving up on an update; the user is asked to try again", "chat", in.ChatID, "update", key, "err", err)
	}
	return false
}

func (t *Telegram) langFor(in dialogs.Input) string {
	return dialogs.MatchLang(in.LangCode, t.cfg.StaffLang)
}

// input turns an update into a dialogs.Input. Private chats talk to the engine; in the
// staff chat the bot answers /kbstats and notices migrations; other groups are ignored.
func (t *Telegram) input(ctx context.Context, u tgbotapi.Update) (dialogs.Input, bool) {
	if cq := u.CallbackQuery; cq != nil {
		if cq.Message == nil || cq.Message.Chat == nil || !cq.Message.Chat.IsPrivate() {
			t.answerCallback(ctx, cq)
			return dialogs.Input{}, false
		}
		return dialogs.Input{
			ChatID: cq.Message.Chat.ID, UserID: userID(cq.From), LangCode: langCode(cq.From),
			Kind: dialogs.KindButton, Data: cq.Data,
		}, true
	}
	m := u.Message
	if m == nil || m.Chat == nil {
		return dialogs.Input{}, false
	}
	if m.MigrateToChatID != 0 && m.Chat.ID == t.staffChatID() {
		t.setStaffChat(ctx, m.MigrateToChatID, true)
		return dialogs.Input{}, false
	}
	if !m.Chat.IsPrivate() && !(m.Chat.ID == t.staffChatID() && isCommand(m.Text, "/kbstats")) {
		return dialogs.Input{}, false
	}
	in := dialogs.Input{ChatID: m.Chat.ID, UserID: userID(m.From), LangCode: langCode(m.From)}
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
	return in, true
}

// isCommand reports whether text is the command name, with or without @botname and
// arguments.
func isCommand(text, name string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	first, _, _ = strings.Cut(strings.ToLower(first), "@")
	return first == name
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

func langCode(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	return u.LanguageCode
}

// answerCallback answers a button press (Telegram shows a spinner until then), once and
// without retries: it is cosmetic, and must not hold the chat's updates.
func (t *Telegram) answerCallback(ctx context.Context, cq *tgbotapi.CallbackQuery) {
	if err := t.limits.wait(ctx, 0); err != nil {
		return
	}
	if _, err := t.send.Request(tgbotapi.NewCallback(cq.ID, "")); err != nil {
		t.log.Warn("answerCallbackQuery failed", "code", errCode(err))
	}
}

// removeButtons removes the pressed message's buttons so they cannot be pressed twice;
// best effort.
func (t *Telegram) removeButtons(ctx context.Context, cq *tgbotapi.CallbackQuery) {
	if cq.Message != nil && cq.Message.ReplyMarkup != nil && cq.Message.Chat != nil {
		edit := tgbotapi.NewEditMessageReplyMarkup(cq.Message.Chat.ID, cq.Message.MessageID, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
		if _, err := t.call(ctx, cq.Message.Chat.ID, edit); err != nil {
			t.log.Debug("removing old buttons failed", "chat", cq.Message.Chat.ID, "code", errCode(err))
		}
	}
}
