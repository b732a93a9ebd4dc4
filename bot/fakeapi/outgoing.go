package fakeapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Method handlers; they run with s.mu held.

func (s *Server) botUser() wireUser {
	id, err := strconv.ParseInt(strings.Split(s.cfg.token, ":")[0], 10, 64)
	if err != nil {
		id = 1
	}
	return wireUser{ID: id, IsBot: true, FirstName: "Test Bot", Username: s.cfg.botUsername}
}

func (s *Server) getMe(url.Values) (any, *apiError) {
	u, yes, no := s.botUser(), true, false
	u.CanJoinGroups, u.CanReadAll, u.InlineQueries = &yes, &no, &no
	return u, nil
}

// knownChatLocked resolves chat_id to a registered chat.
func (s *Server) knownChatLocked(p url.Values) (*chat, *apiError) {
	raw := p.Get("chat_id")
	if raw == "" {
		return nil, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	c := s.chats[id]
	if err != nil || c == nil {
		return nil, badRequest("chat not found")
	}
	return c, nil
}

// sendTargetLocked is knownChatLocked plus the refusals that apply to new messages.
func (s *Server) sendTargetLocked(p url.Values) (*chat, *apiError) {
	c, e := s.knownChatLocked(p)
	switch {
	case e != nil:
		return nil, e
	case c.migratedTo != 0:
		e = badRequest("group chat was upgraded to a supergroup chat")
		e.params = &responseParameters{MigrateToChatID: c.migratedTo}
		return nil, e
	case c.blocked:
		return nil, &apiError{code: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"}
	}
	return c, nil
}

func (s *Server) sendMessage(p url.Values) (any, *apiError) {
	c, e := s.sendTargetLocked(p)
	if e != nil {
		return nil, e
	}
	plain, e := checkText(p.Get("text"), p.Get("parse_mode"), "message is too long")
	if e != nil {
		return nil, e
	}
	markup, e := parseMarkup(p.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	replyTo, _ := strconv.Atoi(p.Get("reply_to_message_id"))
	if replyTo != 0 {
		if _, m := c.find(replyTo); m == nil && p.Get("allow_sending_without_reply") != "true" {
			return nil, badRequest("message to be replied not found")
		}
	}
	c.lastMsgID++
	m := &message{
		id: c.lastMsgID, fromBot: true, date: s.cfg.now().Unix(), replyTo: replyTo,
		text: p.Get("text"), plain: plain, parseMode: p.Get("parse_mode"),
		markupRaw: p.Get("reply_markup"), markup: markup,
	}
	c.msgs = append(c.msgs, m)
	return s.wireMessageLocked(c, m), nil
}

// editTargetLocked finds the bot message an edit refers to.
func (s *Server) editTargetLocked(p url.Values) (*chat, *message, *apiError) {
	if p.Get("inline_message_id") != "" {
		return nil, nil, badRequest("MESSAGE_ID_INVALID")
	}
	c, e := s.knownChatLocked(p)
	if e != nil {
		return nil, nil, e
	}
	id, _ := strconv.Atoi(p.Get("message_id"))
	if id == 0 {
		return nil, nil, badRequest("message identifier is not specified")
	}
	_, m := c.find(id)
	switch {
	case m == nil:
		return nil, nil, badRequest("message to edit not found")
	case !m.fromBot:
		return nil, nil, badRequest("message can't be edited")
	}
	return c, m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

// editMessageText replaces text and markup; as in Telegram, an absent reply_markup removes
// the inline keyboard.
func (s *Server) editMessageText(p url.Values) (any, *apiError) {
	c, m, e := s.editTargetLocked(p)
	if e != nil {
		return nil, e
	}
	plain, e := checkText(p.Get("text"), p.Get("parse_mode"), "MESSAGE_TOO_LONG")
	if e != nil {
		return nil, e
	}
	markup, e := parseMarkup(p.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	if plain == m.plain && p.Get("text") == m.text && sameMarkup(markup, m.markup) {
		return nil, badRequest(notModified)
	}
	m.text, m.plain, m.parseMode = p.Get("text"), plain, p.Get("parse_mode")
	m.markupRaw, m.markup = p.Get("reply_markup"), markup
	m.edits++
	m.editDate = s.cfg.now().Unix()
	return s.wireMessageLocked(c, m), nil
}

// editMessageReplyMarkup replaces the markup; an absent reply_markup removes it.
func (s *Server) editMessageReplyMarkup(p url.Values) (any, *apiError) {
	c, m, e := s.editTargetLocked(p)
	if e != nil {
		return nil, e
	}
	markup, e := parseMarkup(p.Get("reply_markup"))
	if e != nil {
		return nil, e
	}
	if sameMarkup(markup, m.markup) {
		return nil, badRequest(notModified)
	}
	m.markupRaw, m.markup = p.Get("reply_markup"), markup
	m.edits++
	m.editDate = s.cfg.now().Unix()
	return s.wireMessageLocked(c, m), nil
}

func sameMarkup(a, b *wireMarkup) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return jsonString(a) == jsonString(b)
}

func (s *Server) deleteMessage(p url.Values) (any, *apiError) {
	c, e := s.knownChatLocked(p)
	if e != nil {
		return nil, e
	}
	id, _ := strconv.Atoi(p.Get("message_id"))
	i, _ := c.find(id)
	if i < 0 {
		return nil, badRequest("message to delete not found")
	}
	c.msgs = append(c.msgs[:i], c.msgs[i+1:]...)
	return true, nil
}

// answerCallbackQuery accepts each query id PressButton produced once.
func (s *Server) answerCallbackQuery(p url.Values) (any, *apiError) {
	id := p.Get("callback_query_id")
	if answered, ok := s.callbacks[id]; !ok || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.callbacks[id] = true
	s.answered = append(s.answered, id)
	return true, nil
}

func (s *Server) getFile(p url.Values) (any, *apiError) {
	f := s.files[p.Get("file_id")]
	if f == nil {
		return nil, badRequest("wrong file_id or the file is temporarily unavailable")
	}
	w := f.wire()
	w.FilePath = f.path
	return w, nil
}

func (s *Server) getChat(p url.Values) (any, *apiError) {
	c, e := s.knownChatLocked(p)
	if e != nil {
		return nil, e
	}
	return c.wire(), nil
}

var chatActions = map[string]bool{
	"typing": true, "upload_photo": true, "record_video": true, "upload_video": true,
	"record_voice": true, "upload_voice": true, "upload_document": true, "choose_sticker": true,
	"find_location": true, "record_video_note": true, "upload_video_note": true,
}

func (s *Server) sendChatAction(p url.Values) (any, *apiError) {
	if _, e := s.sendTargetLocked(p); e != nil {
		return nil, e
	}
	if !chatActions[p.Get("action")] {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}

// wireMessageLocked renders a stored message as the API returns it.
func (s *Server) wireMessageLocked(c *chat, m *message) *wireMessage {
	w := &wireMessage{MessageID: m.id, Chat: c.wire(), Date: m.date, EditDate: m.editDate, Text: m.plain, ReplyMarkup: m.markup}
	if m.fromBot {
		bot := s.botUser()
		w.From = &bot
	} else if m.userID != 0 {
		u := s.userLocked(m.userID)
		w.From = &u
	}
	if m.replyTo != 0 {
		if _, r := c.find(m.replyTo); r != nil {
			w.ReplyToMessage = &wireMessage{MessageID: r.id, Chat: c.wire(), Date: r.date, Text: r.plain}
		}
	}
	return w
}
