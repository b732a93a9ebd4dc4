package fakeapi

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// state is everything the Server remembers; guarded by Server.mu.
type state struct {
	updates      []wireUpdate // not yet confirmed, ascending update_id
	nextUpdateID int
	confirmed    int // highest confirmed update_id
	polling      int // getUpdates calls waiting now
	pollGen      int // bumped by every getUpdates; an older waiting poll gets 409
	handedOut    int // updates returned by getUpdates, each time it returned one
	chats        map[int64]*chat
	langs        map[int64]string // user id → language_code
	files        map[string]*file // by file_id
	filesByPath  map[string]*file
	callbacks    map[string]bool // callback query id → answered
	answered     []string
	requests     map[string]int // lower-case method → count
	calls        map[string][]url.Values
	times        map[string][]time.Time // arrival of each request in calls, by the Server's clock
	failures     map[string][]failure   // lower-case method or "*" → queue
	counter      int                    // for unique file and callback ids
	faults       Faults
	faultRand    *rand.Rand
	faultCounts  FaultCounts
}

// firstUpdateID is the id of the first update queued.
const firstUpdateID = 1000

func newState() state {
	return state{
		nextUpdateID: firstUpdateID,
		chats:        map[int64]*chat{},
		langs:        map[int64]string{},
		files:        map[string]*file{},
		filesByPath:  map[string]*file{},
		callbacks:    map[string]bool{},
		requests:     map[string]int{},
		calls:        map[string][]url.Values{},
		times:        map[string][]time.Time{},
		failures:     map[string][]failure{},
	}
}

type chat struct {
	id         int64
	typ        string
	title      string
	migratedTo int64
	blocked    bool
	lastMsgID  int
	msgs       []*message // in order; user and bot messages alike
}

func (c *chat) wire() wireChat {
	if c.typ == "private" {
		return wireChat{ID: c.id, Type: c.typ, FirstName: fmt.Sprintf("User%d", c.id), Username: fmt.Sprintf("user%d", c.id)}
	}
	return wireChat{ID: c.id, Type: c.typ, Title: c.title}
}

func (c *chat) find(id int) (int, *message) {
	for i, m := range c.msgs {
		if m.id == id {
			return i, m
		}
	}
	return -1, nil
}

// message is a message in a chat; for the bot's own messages the text and markup are kept as
// last sent or edited.
type message struct {
	id        int
	fromBot   bool
	userID    int64 // sender of a user message
	date      int64
	editDate  int64
	edits     int
	replyTo   int
	text      string // as sent, markup included
	plain     string // after entity parsing
	parseMode string
	markupRaw string
	markup    *wireMarkup // inline keyboard, or nil
	file      *SentFile   // a document or photo the bot sent, with the text as its caption
}

type file struct {
	id, uniqueID, path string
	content            []byte
}

func (f *file) wire() wireFile {
	return wireFile{FileID: f.id, FileUniqueID: f.uniqueID, FileSize: len(f.content)}
}

// chatLocked returns the chat, registering an unknown one as a private chat.
func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{id: id, typ: "private"}
		s.chats[id] = c
	}
	return c
}

// fileLocked registers fileID (once) under dir with extension ext and returns it.
func (s *Server) fileLocked(fileID, dir, ext string) *file {
	if f := s.files[fileID]; f != nil {
		return f
	}
	s.counter++
	f := &file{
		id:       fileID,
		uniqueID: fmt.Sprintf("AgAD%d", s.counter),
		path:     fmt.Sprintf("%s/file_%d%s", dir, s.counter, ext),
		content:  []byte("fake file " + fileID),
	}
	s.files[fileID] = f
	s.filesByPath[f.path] = f
	return f
}

// AddFile makes fileID known to getFile with the given content, which FileEndpoint then serves.
// Files users send with SendPhoto and friends are known already, with placeholder content.
func (s *Server) AddFile(fileID string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileLocked(fileID, "documents", "").content = append([]byte(nil), content...)
	s.notifyLocked()
}

// failure is an injected failure: an error answer (code, retryAfter) before the request
// takes effect, or, after it took effect, a lost answer (after) or a late one (delay).
type failure struct {
	code, retryAfter int
	after            bool
	delay            time.Duration
}

// FailNext makes the next n requests to method (case-insensitive; "*" for any method) fail
// before they take effect, as the real API or its proxies fail:
//   - 429: JSON error with parameters.retry_after = retryAfter (seconds);
//   - 502, 503, 504: an nginx HTML page (not JSON), as Telegram's front end sends;
//   - 0: the connection is closed without a response (the client sees a network error);
//   - any other code: a JSON error with that error_code (500 "Internal Server Error", 403 "Forbidden:
//     bot was blocked by the user", 409 "Conflict: ...", else the HTTP status text).
//
// Failed requests still count in Requests and Calls. Method-specific failures are used before "*".
func (s *Server) FailNext(method string, n, code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], failure{code: code, retryAfter: retryAfter})
	}
}

func (s *Server) takeFailureLocked(method string) (failure, bool) {
	for _, key := range []string{method, "*"} {
		if q := s.failures[key]; len(q) > 0 {
			s.failures[key] = q[1:]
			return q[0], true
		}
	}
	return failure{}, false
}

// dropConnection closes the request's connection without an answer (a reset).
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tcp, ok := conn.(*net.TCPConn); ok {
				_ = tcp.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

const nginxBadGateway = "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"

func writeFailure(w http.ResponseWriter, f failure) {
	switch f.code {
	case 0:
		dropConnection(w)
		return
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.code)
		text := http.StatusText(f.code)
		fmt.Fprintf(w, nginxBadGateway, f.code, text, f.code, text)
		return
	}
	e := &apiError{code: f.code, desc: http.StatusText(f.code)}
	switch f.code {
	case http.StatusTooManyRequests:
		e.desc = "Too Many Requests: retry after " + strconv.Itoa(f.retryAfter)
		e.params = &responseParameters{RetryAfter: f.retryAfter}
	case http.StatusForbidden:
		e.desc = "Forbidden: bot was blocked by the user"
	case http.StatusConflict:
		e.desc = errConflict.desc
	case http.StatusBadRequest:
		e.desc = "Bad Request"
	}
	writeError(w, e)
}

var errConflict = &apiError{code: http.StatusConflict,
	desc: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
