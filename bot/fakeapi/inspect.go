package fakeapi

import (
	"encoding/json"
	"maps"
	"net/url"
	"strings"
	"time"
)

// Button is one inline keyboard button as the bot last set it.
type Button struct {
	Text string
	Data string // callback_data; empty for other buttons
	URL  string // url; empty for other buttons
}

// SentMessage is a message the bot sent, as it currently stands after edits.
type SentMessage struct {
	MessageID        int
	Text             string     // as the bot sent it, markup included
	PlainText        string     // as Telegram shows it: tags removed, entities decoded, trimmed
	ParseMode        string     // as sent ("" for none)
	ReplyMarkup      string     // the reply_markup JSON as sent ("" for none)
	Buttons          [][]Button // the inline keyboard, nil if none
	ReplyToMessageID int        // 0 if not a reply
	Edits            int        // successful editMessageText/editMessageReplyMarkup calls
	File             *SentFile  // a document or photo (Text is then its caption), or nil
}

// Sent returns the bot's messages currently in chatID (deleted ones left out), oldest first.
// It returns nil for a chat without any.
func (s *Server) Sent(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentLocked(chatID)
}

func (s *Server) sentLocked(chatID int64) []SentMessage {
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	var out []SentMessage
	for _, m := range c.msgs {
		if !m.fromBot {
			continue
		}
		sm := SentMessage{
			MessageID: m.id, Text: m.text, PlainText: m.plain, ParseMode: m.parseMode,
			ReplyMarkup: m.markupRaw, ReplyToMessageID: m.replyTo, Edits: m.edits, File: m.file,
		}
		if m.markup != nil {
			for _, row := range m.markup.InlineKeyboard {
				r := make([]Button, 0, len(row))
				for _, b := range row {
					r = append(r, Button{Text: b.Text, Data: deref(b.CallbackData), URL: deref(b.URL)})
				}
				sm.Buttons = append(sm.Buttons, r)
			}
		}
		out = append(out, sm)
	}
	return out
}

// Requests returns how many requests for method (case-insensitive) arrived with the right
// token, including failed and injected-failure ones.
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[strings.ToLower(method)]
}

// TotalRequests returns how many requests of any method arrived with the right token.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.requests {
		n += c
	}
	return n
}

// HandedOut returns how many updates getUpdates returned, counting an update each time
// it was returned: with Enqueued, how often the bot fetched each update.
func (s *Server) HandedOut() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.handedOut
}

// Enqueued returns how many updates were ever queued for the bot.
func (s *Server) Enqueued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextUpdateID - firstUpdateID
}

// Connections returns how many TCP connections clients opened to the Server.
func (s *Server) Connections() int64 { return s.conns.Load() }

// Calls returns copies of the parameters of every request counted by Requests(method), in
// arrival order.
func (s *Server) Calls(method string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []url.Values
	for _, p := range s.calls[strings.ToLower(method)] {
		out = append(out, maps.Clone(p))
	}
	return out
}

// CallTimes returns when each request counted by Requests(method) arrived, by the
// Server's own clock, in the order (and with the indexes) of Calls(method).
func (s *Server) CallTimes(method string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times[strings.ToLower(method)]...)
}

// AnsweredCallbacks returns the callback query ids answered successfully, in order.
func (s *Server) AnsweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.answered...)
}

// WaitFor reports whether cond became true within timeout. cond is re-evaluated after every
// change of the Server's state and every 10ms (so it may also watch other state); it runs
// without the Server's lock held, so it may call the Server's methods.
func (s *Server) WaitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-deadline.C:
			return cond()
		}
	}
}

// WaitSent reports whether chatID holds at least n messages from the bot within timeout.
func (s *Server) WaitSent(chatID int64, n int, timeout time.Duration) bool {
	return s.WaitFor(func() bool { return len(s.Sent(chatID)) >= n }, timeout)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
