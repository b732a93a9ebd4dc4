package dialogs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// Procuratorate is the office the bot speaks for, shown in the welcome, help and receipts.
type Procuratorate struct {
	Name, Address, Phone string
}

// Config holds the engine's settings. Zero values get the documented defaults.
type Config struct {
	Now           func() time.Time // default time.Now
	Location      *time.Location   // dates shown and case years; default UTC
	DefaultLang   string           // "zh-Hans" (default) or "en"
	StaffLang     string           // language of messages to staff; default DefaultLang
	DraftTTL      time.Duration    // how long a silent draft is kept; default 7 days
	CaseRetention time.Duration    // how long a closed case keeps its personal data; default 3 years of 365 days
	Procuratorate Procuratorate
	NewID         func() string // draft ids; default 16 random hex characters
	StaffUserIDs  []int64       // may use /kbstats
	LLMProvider   string        // who receives typed questions when a language model phrases answers; "" when none
	Followup      Followup      // check-ins and the other timed messages
}

// Followup configures the check-ins after a resolved case and the other timed messages.
// Zero values get the documented defaults.
type Followup struct {
	Offsets  []time.Duration // check-ins after a closure that resolved the dispute; nil: 7, 30 and 90 days
	Hours    Hours           // local hours in which petitioners get timed messages; zero: 09:00–20:00
	Reminder time.Duration   // an unanswered check-in is reminded after it, then recorded as no response after it again; 0: 3 days
	// ReviewWarnDays is how many days before the end of the review period staff are
	// warned; 0: 10.
	ReviewWarnDays int
	// DigestAt is the local time ("HH:MM") of the daily digest in the staff group; ""
	// for none.
	DigestAt string
}

// Engine runs the petitioner conversation. It is safe for concurrent use: all state is
// in the Session passed to Handle.
type Engine struct {
	cfg   Config
	cases Cases
	kb    *Knowledge
}

// NewEngine returns an engine recording cases in cases and answering questions with kb
// (nil: questions get a "coming soon, call 12309" reply).
func NewEngine(cfg Config, cases Cases, kb *Knowledge) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = LangZh
	}
	if cfg.StaffLang == "" {
		cfg.StaffLang = cfg.DefaultLang
	}
	if cfg.DraftTTL <= 0 {
		cfg.DraftTTL = 7 * 24 * time.Hour
	}
	if cfg.CaseRetention <= 0 {
		cfg.CaseRetention = 3 * 365 * 24 * time.Hour
	}
	if cfg.NewID == nil {
		cfg.NewID = randomID
	}
	f := &cfg.Followup
	if f.Offsets == nil {
		f.Offsets = []time.Duration{7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}
	}
	f.Hours = f.Hours.orDefault()
	if f.Reminder <= 0 {
		f.Reminder = 3 * 24 * time.Hour
	}
	if f.ReviewWarnDays <= 0 {
		f.ReviewWarnDays = 10
	}
	return &Engine{cfg: cfg, cases: cases, kb: kb}
}

// The supported languages.
const (
	LangZh = "zh-Hans"
	LangEn = "en"
)

// MatchLang maps a client language code to a supported language, or def.
func MatchLang(code, def string) string {
	c := strings.ToLower(code)
	switch {
	case c == "zh" || strings.HasPrefix(c, "zh-") || strings.HasPrefix(c, "zh_"):
		return LangZh
	case c == "en" || strings.HasPrefix(c, "en-") || strings.HasPrefix(c, "en_"):
		return LangEn
	}
	return def
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *Engine) now() time.Time { return e.cfg.Now().In(e.cfg.Location) }
func (e *Engine) today() time.Time {
	y, m, d := e.now().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Handle applies one input to the session and returns its effects: the new session
// (s is also changed in place), the replies and every other delivery, the cases changed
// and the records to keep. The caller stores all of it atomically. Handle only reads
// (cases, the knowledge base); an error means such a read failed, and nothing must be
// stored.
func (e *Engine) Handle(ctx context.Context, s *Session, in Input) (Effects, error) {
	in = in.cleaned()
	r := &replies{lang: s.Lang, update: in.UpdateID, to: ToChat(in.ChatID), button: in.Kind == KindButton}
	if r.lang == "" {
		r.lang = MatchLang(in.LangCode, e.cfg.DefaultLang)
	}
	var err error
	switch {
	case in.Kind == KindTimer:
		r.lang = e.cfg.StaffLang
		err = e.timer(ctx, r, in)
	case in.Kind == KindUndeliverable:
		err = e.undeliverable(ctx, r, in)
	case e.refusedAtDoor(r, s, in):
	case in.StaffChat:
		err = e.staffChat(ctx, r, s, in)
	case e.staffPrivate(in):
		err = e.staffInput(ctx, r, s, in)
	case s.Checkin != "" && (in.Kind == KindAttachment || in.Kind == KindText && !strings.HasPrefix(strings.TrimSpace(in.Text), "/")):
		err = e.checkinComment(ctx, r, s, in)
	case relayTarget(s) != "" && (in.Kind == KindAttachment || in.Kind == KindText && !strings.HasPrefix(strings.TrimSpace(in.Text), "/")):
		err = e.relay(ctx, r, s, in, relayTarget(s))
	case in.Kind == KindText:
		text := strings.TrimSpace(in.Text)
		if strings.HasPrefix(text, "/") {
			err = e.command(ctx, r, s, in, text)
		} else {
			err = e.text(ctx, r, s, in, text)
		}
	case in.Kind == KindButton:
		err = e.button(ctx, r, s, in)
	case in.Kind == KindAttachment:
		e.attachment(r, s, in.Attachment)
	default:
		r.say(T("unsupported").Ref("What", "kind."+kindName(in.Unsupported)))
		e.reprompt(r, s)
	}
	if err != nil {
		return Effects{}, err
	}
	return r.effects(*s), nil
}

func kindName(k string) string {
	switch k {
	case "voice", "audio", "video", "video_note", "sticker", "location", "contact", "poll", "animation", "dice", "venue":
		return k
	}
	return "unknown"
}

// command handles a slash command, with or without @botname and arguments.
func (e *Engine) command(ctx context.Context, r *replies, s *Session, in Input, text string) error {
	name, arg, _ := strings.Cut(text, " ")
	name, _, _ = strings.Cut(strings.ToLower(name), "@")
	s.Confirm = ""
	s.Asking = false
	s.Relay = ""
	s.Checkin = ""
	switch name {
	case "/start":
		e.start(r, s)
	case "/help":
		r.say(e.helpText())
		e.reprompt(r, s)
	case "/cancel":
		e.askCancel(r, s)
	case "/lang", "/language":
		r.ask([]Text{T("lang.choose")}, langButtons())
	case "/privacy":
		e.privacy(r, s)
	case "/forget":
		e.askForget(r, s)
	case "/status":
		return e.status(ctx, r, s, in.ChatID)
	case "/ask":
		return e.ask(ctx, r, s, strings.TrimSpace(arg))
	case "/kbstats", "/queue", "/mine", "/case", "/find", "/assign", "/note", "/reply", "/register", "/stats", "/export", "/audit", "/followup", "/followups":
		r.say(T("staff.only"))
		r.fx.Refused = true
	default:
		r.say(T("unknown_command"))
		e.reprompt(r, s)
	}
	return nil
}

// text handles typed text that is not a command.
func (e *Engine) text(ctx context.Context, r *replies, s *Session, in Input, text string) error {
	switch {
	case s.Confirm != "":
		r.say(T("confirm.use_buttons"))
		e.confirmPrompt(r, s)
	case s.Asking:
		s.Asking = false
		return e.answerQuestion(ctx, r, s, text)
	case s.Draft != nil && s.Active:
		e.answerText(r, s, text)
	default: // outside any step, a draft waiting or not
		return e.frontDoor(ctx, r, s, in, text)
	}
	return nil
}
