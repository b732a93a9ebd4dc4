// Package fakeapi is an in-process fake of the Telegram Bot API for tests.
//
// A Server answers the methods a long-polling bot uses (getMe, getUpdates, sendMessage,
// sendDocument, sendPhoto, editMessageText, editMessageReplyMarkup, answerCallbackQuery, getFile, deleteMessage, getChat,
// sendChatAction) with the JSON shapes and error descriptions of the real API, and refuses what
// the real API refuses (texts over 4096 UTF-16 units, bad HTML, callback data over 64 bytes,
// unknown chats, migrated groups). Tests inject user activity with SendText, PressButton and
// friends, inject failures with FailNext and FailNextAfter (the request takes effect, the
// answer is lost) or at random with InjectFaults, and inspect what the bot did with Sent,
// Requests, Calls, CallTimes (when each request arrived) and AnsweredCallbacks. Every
// method is safe for concurrent use.
//
// Typical use:
//
//	srv := fakeapi.New(t)
//	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(srv.Token(), srv.APIEndpoint())
//	srv.SendText(42, 42, "/start")
//	// ... run the bot ...
//	if !srv.WaitSent(42, 1, 2*time.Second) { t.Fatal("no reply") }
package fakeapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// DefaultToken is the bot token a Server accepts unless WithToken says otherwise.
const DefaultToken = "123:TEST"

// DefaultMaxPollWait caps how long getUpdates waits for an update, whatever `timeout` the client
// asks for, unless WithMaxPollWait says otherwise. It keeps tests fast; a real server waits up to
// `timeout` seconds.
const DefaultMaxPollWait = 2 * time.Second

// Option configures a Server at construction.
type Option func(*config)

type config struct {
	token       string
	botUsername string
	maxPollWait time.Duration
	now         func() time.Time
	onSent      func(chatID int64)
}

// WithOnSent calls f with the chat id after each message the bot sent or edited was
// accepted, outside the Server's lock (load drivers react to replies with it). f must not
// block for long.
func WithOnSent(f func(chatID int64)) Option { return func(c *config) { c.onSent = f } }

// WithToken makes the Server accept only token (default DefaultToken). The bot's user id is the
// part of the token before ':' when it is a number, else 1.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithMaxPollWait caps the long-poll wait of getUpdates (default DefaultMaxPollWait). Zero or
// negative makes getUpdates never wait.
func WithMaxPollWait(d time.Duration) Option { return func(c *config) { c.maxPollWait = d } }

// Server is a fake Telegram Bot API listening on 127.0.0.1. Create it with New; the zero value
// is not usable.
type Server struct {
	cfg   config
	http  *httptest.Server
	done  chan struct{} // closed by Close: wakes long polls
	conns atomic.Int64  // TCP connections accepted
	once  sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	state                 // guarded by mu
}

// New starts a Server on 127.0.0.1 and registers t.Cleanup to close it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := Start(opts...)
	t.Cleanup(s.Close)
	return s
}

// Start starts a Server on 127.0.0.1 outside a test (a load command); Close stops it.
func Start(opts ...Option) *Server {
	s := &Server{
		cfg:     config{token: DefaultToken, botUsername: "petition_test_bot", maxPollWait: DefaultMaxPollWait, now: time.Now},
		done:    make(chan struct{}),
		changed: make(chan struct{}),
		state:   newState(),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.http = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.http.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.http.Start()
	return s
}

// Close stops the Server: long polls in flight return at once, then the listener closes.
// Requests afterwards fail with a connection error. Close is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.http.Close()
	})
}

// APIEndpoint returns the pattern "http://127.0.0.1:PORT/bot%s/%s" for
// tgbotapi.NewBotAPIWithAPIEndpoint.
func (s *Server) APIEndpoint() string { return s.http.URL + "/bot%s/%s" }

// FileEndpoint returns the pattern "http://127.0.0.1:PORT/file/bot%s/%s" (token, file_path)
// under which the files known to the Server can be downloaded.
func (s *Server) FileEndpoint() string { return s.http.URL + "/file/bot%s/%s" }

// Token returns the only token the Server accepts.
func (s *Server) Token() string { return s.cfg.token }

// notifyLocked wakes everyone waiting for a state change. Callers hold s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

type handlerFunc func(s *Server, p url.Values) (any, *apiError)

// handlers run with s.mu held; getUpdates is special-cased because it waits.
var handlers = map[string]handlerFunc{
	"getme":                  (*Server).getMe,
	"sendmessage":            (*Server).sendMessage,
	"senddocument":           (*Server).sendDocument,
	"sendphoto":              (*Server).sendPhoto,
	"editmessagetext":        (*Server).editMessageText,
	"editmessagereplymarkup": (*Server).editMessageReplyMarkup,
	"deletemessage":          (*Server).deleteMessage,
	"answercallbackquery":    (*Server).answerCallbackQuery,
	"getfile":                (*Server).getFile,
	"getchat":                (*Server).getChat,
	"sendchataction":         (*Server).sendChatAction,
	"deletewebhook":          func(*Server, url.Values) (any, *apiError) { return true, nil },
	"setmycommands":          func(*Server, url.Values) (any, *apiError) { return true, nil },
	"deletemycommands":       func(*Server, url.Values) (any, *apiError) { return true, nil },
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, errNotFound)
		return
	}
	token, method, _ := strings.Cut(rest, "/")
	if token != s.cfg.token {
		writeError(w, &apiError{code: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	params, err := readParams(r)
	if err == nil {
		err = readFiles(r, params)
	}
	if err != nil {
		writeError(w, badRequest("can't parse request parameters"))
		return
	}
	key := strings.ToLower(method)

	s.mu.Lock()
	s.requests[key]++
	s.calls[key] = append(s.calls[key], params)
	s.times[key] = append(s.times[key], s.cfg.now())
	f, failing := s.takeFailureLocked(key)
	if !failing {
		f, failing = s.randomFaultLocked(key)
	}
	before := failing && !f.after && f.delay == 0
	s.notifyLocked()
	h, known := handlers[key]
	if before || !known || key == "getupdates" {
		s.mu.Unlock()
		switch {
		case before:
			writeFailure(w, f)
		case key == "getupdates":
			s.respond(w, r.Context(), params)
		default:
			writeError(w, errNotFound)
		}
		return
	}
	result, apiErr := h(s, params)
	s.notifyLocked()
	s.mu.Unlock()
	switch {
	case failing && f.after:
		dropConnection(w)
		return
	case failing && f.delay > 0:
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
		case <-s.done:
		}
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeResult(w, result)
	if s.cfg.onSent != nil && sends[key] {
		if id, err := strconv.ParseInt(params.Get("chat_id"), 10, 64); err == nil {
			s.cfg.onSent(id)
		}
	}
}

// sends are the methods after which WithOnSent's function is called.
var sends = map[string]bool{"sendmessage": true, "senddocument": true, "sendphoto": true, "editmessagetext": true}

// respond answers getUpdates, which waits without holding s.mu.
func (s *Server) respond(w http.ResponseWriter, ctx context.Context, p url.Values) {
	result, apiErr := s.getUpdates(ctx, p)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if result == nil {
		return // the client went away or the server is closing
	}
	writeResult(w, result)
}

func (s *Server) serveFile(w http.ResponseWriter, rest string) {
	token, path, _ := strings.Cut(rest, "/")
	s.mu.Lock()
	f := s.filesByPath[path]
	var content []byte
	if f != nil {
		content = f.content
	}
	s.mu.Unlock()
	if token != s.cfg.token || f == nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(content)
}
