package bot

// An internal test: toInput is the transport's decoder and has no exported form (the
// black-box tests drive it through the fake Bot API).

import (
	"encoding/json"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/petitionbot/petitionbot/dialogs"
)

const fuzzStaffChat = -100777

// FuzzUpdateDecoding decodes arbitrary getUpdates JSON as the Bot API library does and
// turns it into engine input: it never panics; what reaches the engine comes from a
// private chat or the staff chat (there only commands and presses), with a chat id and a
// valid kind; everything else is ignored.
func FuzzUpdateDecoding(f *testing.F) {
	for _, s := range []string{
		`{"update_id":1,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A"},"text":"/start"}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":5},"message":{"message_id":3,"chat":{"id":5,"type":"private"}},"data":"w:JC-2026-000001"}}`,
		`{"update_id":3,"callback_query":{"id":"q","from":{"id":6},"message":{"message_id":3,"chat":{"id":-100777,"type":"supergroup"}},"data":"s:acc:JC-2026-000001:1"}}`,
		`{"update_id":4,"callback_query":{"id":"q","from":{"id":6},"data":"x"}}`,
		`{"update_id":5,"message":{"message_id":1,"chat":{"id":-100999,"type":"group"},"text":"/start"}}`,
		`{"update_id":6,"message":{"message_id":1,"chat":{"id":-100777,"type":"supergroup"},"text":"hello staff"}}`,
		`{"update_id":7,"message":{"message_id":1,"chat":{"id":-100777,"type":"group"},"migrate_to_chat_id":-100888}}`,
		`{"update_id":8,"edited_message":{"message_id":1,"chat":{"id":5,"type":"private"},"text":"fixed"}}`,
		`{"update_id":9,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"document":{"file_id":"d","file_name":"a\u202e.pdf","file_size":52428800}}}`,
		`{"update_id":10,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"photo":[]}}`,
		`{"update_id":11,"message":{"message_id":1,"chat":{"id":5,"type":"private"},"sticker":{"file_id":"s"}}}`,
		`{"update_id":12,"channel_post":{"message_id":1,"chat":{"id":-1005,"type":"channel"},"text":"x"}}`,
		`{}`, `null`, `{"message":null}`, `{"message":{"chat":null}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var u tgbotapi.Update
		if json.Unmarshal(raw, &u) != nil {
			return
		}
		in, migrated, ok := toInput(u, fuzzStaffChat)
		if migrated != 0 && ok {
			t.Fatal("a migration is not input for the engine")
		}
		if !ok {
			return
		}
		if in.ChatID == 0 {
			t.Fatalf("input without a chat: %+v", in)
		}
		if in.StaffChat != (in.ChatID == fuzzStaffChat) {
			t.Fatalf("StaffChat %v for chat %d", in.StaffChat, in.ChatID)
		}
		private := (u.CallbackQuery != nil && u.CallbackQuery.Message.Chat.IsPrivate()) ||
			(u.CallbackQuery == nil && u.EditedMessage != nil && u.EditedMessage.Chat.IsPrivate()) ||
			(u.CallbackQuery == nil && u.EditedMessage == nil && u.Message.Chat.IsPrivate())
		if !private && !in.StaffChat {
			t.Fatalf("input from chat %d, neither private nor the staff chat", in.ChatID)
		}
		if in.StaffChat && in.Kind != dialogs.KindButton && !(in.Kind == dialogs.KindText && strings.HasPrefix(strings.TrimSpace(in.Text), "/")) {
			t.Fatalf("a staff chat message that is not a command: %+v", in)
		}
		switch in.Kind {
		case dialogs.KindText, dialogs.KindButton, dialogs.KindAttachment, dialogs.KindUnsupported:
		default:
			t.Fatalf("kind %d", in.Kind)
		}
	})
}
