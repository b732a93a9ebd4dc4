package fakeapi

import (
	"fmt"
	"mime"
	"path"
	"strings"
)

// Test controls that play the users' side: each queues one update and returns its update_id.
// A chat not registered with AddChat is a private chat (chatID should then equal userID).

// SendText queues a text message from userID in chatID. A text starting with "/" gets a
// bot_command entity covering the command (and its "@botname" suffix), as Telegram adds.
func (s *Server) SendText(chatID, userID int64, text string) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		m.Text = text
		if n := commandLength(text); n > 0 {
			m.Entities = []wireEntity{{Type: "bot_command", Offset: 0, Length: n}}
		}
	})
}

// SendTextAs is SendText from a user whose Telegram client language is langCode (e.g. "zh-hans",
// "en"). The language is remembered for every later update from userID, like a real client's.
// Users whose language was never set send no language_code.
func (s *Server) SendTextAs(chatID, userID int64, langCode, text string) (updateID int) {
	s.mu.Lock()
	s.langs[userID] = langCode
	s.mu.Unlock()
	return s.SendText(chatID, userID, text)
}

// SendPhoto queues a photo message. Like Telegram it carries two sizes: a thumbnail whose
// file_id is fileID+"-thumb" and the full size (last) with fileID; both are known to getFile.
func (s *Server) SendPhoto(chatID, userID int64, fileID string) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		thumb := s.fileLocked(fileID+"-thumb", "photos", ".jpg")
		full := s.fileLocked(fileID, "photos", ".jpg")
		m.Photo = []wirePhotoSize{
			{wireFile: thumb.wire(), Width: 90, Height: 67},
			{wireFile: full.wire(), Width: 1280, Height: 960},
		}
	})
}

// SendDocument queues a document message with the given file name; the MIME type is guessed
// from its extension.
func (s *Server) SendDocument(chatID, userID int64, fileID, fileName string) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		ext := path.Ext(fileName)
		mt, _, _ := strings.Cut(mime.TypeByExtension(ext), ";")
		if mt == "" {
			mt = "application/octet-stream"
		}
		f := s.fileLocked(fileID, "documents", ext)
		m.Document = &wireDocument{wireFile: f.wire(), FileName: fileName, MimeType: mt}
	})
}

// SendSticker queues a static sticker message.
func (s *Server) SendSticker(chatID, userID int64, fileID string) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		f := s.fileLocked(fileID, "stickers", ".webp")
		m.Sticker = &wireSticker{wireFile: f.wire(), Width: 512, Height: 512, Emoji: "🙂"}
	})
}

// SendVoice queues a one-second voice message.
func (s *Server) SendVoice(chatID, userID int64, fileID string) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		f := s.fileLocked(fileID, "voice", ".oga")
		m.Voice = &wireVoice{wireFile: f.wire(), Duration: 1, MimeType: "audio/ogg"}
	})
}

// SendLocation queues a location message.
func (s *Server) SendLocation(chatID, userID int64, latitude, longitude float64) (updateID int) {
	return s.userMessage(chatID, userID, func(m *wireMessage) {
		m.Location = &wireLocation{Latitude: latitude, Longitude: longitude}
	})
}

// PressButton queues a callback_query from userID pressing a button with data under the
// message messageID in chatID, and returns the callback query id to expect in
// AnsweredCallbacks. The query carries the message as currently stored (a bare message_id and
// chat when it is unknown, e.g. deleted). data is not checked against the message's buttons,
// so tests can forge presses.
func (s *Server) PressButton(chatID, userID int64, messageID int, data string) (callbackID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	msg := &wireMessage{MessageID: messageID, Chat: c.wire()}
	if _, m := c.find(messageID); m != nil {
		msg = s.wireMessageLocked(c, m)
	}
	s.counter++
	callbackID = fmt.Sprintf("%d%06d", userID, s.counter)
	s.callbacks[callbackID] = false
	s.enqueueLocked(wireUpdate{CallbackQuery: &wireCallbackQuery{
		ID:           callbackID,
		From:         s.userLocked(userID),
		Message:      msg,
		ChatInstance: fmt.Sprintf("-%d", 7000000000000000000+chatID),
		Data:         data,
	}})
	return callbackID
}

// EditText queues an edited_message update: userID changed the text of their message
// messageID in chatID (sent before with SendText) to text, as Telegram reports an edit.
func (s *Server) EditText(chatID, userID int64, messageID int, text string) (updateID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	now := s.cfg.now().Unix()
	date := now
	if _, m := c.find(messageID); m != nil {
		m.text, m.plain, m.editDate = text, text, now
		date = m.date
	}
	from := s.userLocked(userID)
	return s.enqueueLocked(wireUpdate{EditedMessage: &wireMessage{
		MessageID: messageID, From: &from, Chat: c.wire(), Date: date, EditDate: now, Text: text,
	}})
}

// AddChat registers a chat of type typ ("private", "group", "supergroup" or "channel"), e.g. the
// staff group, so the bot can send to it and getChat finds it. Registering again changes the type.
func (s *Server) AddChat(id int64, typ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(id)
	c.typ = typ
	c.title = fmt.Sprintf("Test %s %d", typ, id)
	s.notifyLocked()
}

// MigrateChat upgrades the group oldID to the supergroup newID, as Telegram does: from then on
// sendMessage and sendChatAction to oldID fail with 400 "Bad Request: group chat was upgraded to
// a supergroup chat" and parameters.migrate_to_chat_id = newID, and two service-message updates
// are queued (migrate_to_chat_id in the old chat, migrate_from_chat_id in the new one).
func (s *Server) MigrateChat(oldID, newID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.chatLocked(oldID)
	if old.typ == "private" {
		old.typ, old.title = "group", fmt.Sprintf("Test group %d", oldID)
	}
	old.migratedTo = newID
	nc := s.chatLocked(newID)
	nc.typ, nc.title = "supergroup", old.title
	now := s.cfg.now().Unix()
	old.lastMsgID++
	s.enqueueLocked(wireUpdate{Message: &wireMessage{MessageID: old.lastMsgID, Chat: old.wire(), Date: now, MigrateToChatID: newID}})
	nc.lastMsgID++
	s.enqueueLocked(wireUpdate{Message: &wireMessage{MessageID: nc.lastMsgID, Chat: nc.wire(), Date: now, MigrateFromChatID: oldID}})
}

// Block makes the user of the private chat chatID block the bot: sendMessage and sendChatAction
// to it fail with 403 "Forbidden: bot was blocked by the user".
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chatID).blocked = true
	s.notifyLocked()
}

// userMessage stores and queues a message from userID; fill runs with s.mu held.
func (s *Server) userMessage(chatID, userID int64, fill func(*wireMessage)) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	c.lastMsgID++
	from := s.userLocked(userID)
	m := &wireMessage{MessageID: c.lastMsgID, From: &from, Chat: c.wire(), Date: s.cfg.now().Unix()}
	fill(m)
	c.msgs = append(c.msgs, &message{id: m.MessageID, userID: userID, date: m.Date, text: m.Text, plain: m.Text})
	return s.enqueueLocked(wireUpdate{Message: m})
}

func (s *Server) userLocked(id int64) wireUser {
	return wireUser{ID: id, FirstName: fmt.Sprintf("User%d", id), Username: fmt.Sprintf("user%d", id), LanguageCode: s.langs[id]}
}

// commandLength returns the length in UTF-16 units of the bot command starting text
// ("/name" or "/name@bot", name of letters, digits and '_'), or 0 if there is none.
func commandLength(text string) int {
	if !strings.HasPrefix(text, "/") {
		return 0
	}
	word := func(s string) int {
		n := 0
		for n < len(s) && (s[n] == '_' || s[n] >= '0' && s[n] <= '9' || (s[n]|0x20) >= 'a' && (s[n]|0x20) <= 'z') {
			n++
		}
		return n
	}
	n := word(text[1:])
	if n == 0 || n > 32 {
		return 0
	}
	n++
	if strings.HasPrefix(text[n:], "@") {
		if m := word(text[n+1:]); m > 0 {
			n += 1 + m
		}
	}
	return n
}
