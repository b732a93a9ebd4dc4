package dialogs_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/knowledge"
	"github.com/petitionbot/petitionbot/locales"
	"github.com/petitionbot/petitionbot/store"
	"github.com/petitionbot/petitionbot/store/redistest"
)

// The transcripts in testdata/transcripts are conversations a non-programmer can read:
//
//	> text            the petitioner types text
//	> [label.key]     the petitioner presses the button with that label in the latest message
//	> {data}          the petitioner presses a button by its callback data
//	> (photo x.jpg)   the petitioner sends a photo, document or an unsupported kind (sticker…,
//	                  edited: an edit of a message); (document x.pdf 50MB) a file of that size
//	>s …              the same, by the staff user 王检察官 in their private chat
//	>g …              the same, by that staff user in the staff group (buttons: of the latest card)
//	>x …              the same, by someone in the staff group who is not staff
//	< k1 k2 | b1 b2   the bot answers the petitioner one message: its parts' locale keys (refs
//	                  in brackets), then, after "|", its buttons' label keys
//	<s …  <g …        a message to the staff user's private chat, to the staff group (a card
//	                  ends with "#card"); <c:ID … to another chat; <t key  the toast shown
//	? name=value      the draft's answer (draft=none: no draft; field=x: the current step;
//	                  cases=N: cases submitted; status=x: the newest case's status;
//	                  audit=N: entries in the audit log)
//	@ today DATE      the date from now on; @ lang CODE the client's language
//	>t DATE HH:MM     time passes until then: what falls due meanwhile happens, in order
//	                  (check-ins, reminders, the digest), as the running bot would do it
//	? checkinN=x      the newest case's check-in N: planned, sent, reminded or its result
//	? jobs=N          timed jobs pending
//
// Run with -update to rewrite the "<" lines from what the bot says (then read the diff).
var update = flag.Bool("update", false, "rewrite transcript expectations")

func TestMain(m *testing.M) { redistest.Main(m) }

var (
	indexOnce sync.Once
	index     *knowledge.Index
	indexErr  error
)

// testIndex indexes the embedded knowledge base once for all transcripts.
func testIndex(t *testing.T) *knowledge.Index {
	indexOnce.Do(func() {
		entries, err := knowledge.Load(knowledge.Embedded())
		if err != nil {
			indexErr = err
			return
		}
		index, indexErr = knowledge.NewIndex(entries)
	})
	if indexErr != nil {
		t.Fatal(indexErr)
	}
	return index
}

func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runTranscript(t, f) })
	}
}

type harness struct {
	t      *testing.T
	rdb    *redis.Client
	prefix string
	svc    *dialogs.Service
	db     *store.DB
	render *bot.Renderer
	now    time.Time
	lang   string
	seq    int
	last   map[string]dialogs.Message // the latest message with buttons, per actor ("", "s", "g")
}

// The people of a transcript.
const (
	petitionerChat = 100
	staffUser      = 900
	staffGroup     = -1000
	outsider       = 555
	otherStaff     = 901
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// newHarness builds the engine on a fresh key prefix; withKB adds the embedded knowledge
// base (transcripts named kb_*.txt).
func newHarness(t *testing.T, withKB bool) *harness {
	return newHarnessFollowup(t, withKB, dialogs.Followup{})
}

// newHarnessFollowup is newHarness with the timed messages configured as f.
func newHarnessFollowup(t *testing.T, withKB bool, f dialogs.Followup) *harness {
	rdb, prefix := redistest.New(t)
	h := &harness{t: t, rdb: rdb, prefix: prefix, now: time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai),
		render: testRenderer(t), last: map[string]dialogs.Message{}}
	keys, err := store.NewKeyring([]byte("transcripts-test-data-key-32byte"))
	if err != nil {
		t.Fatal(err)
	}
	h.db = store.New(rdb, store.Options{Prefix: prefix, Now: func() time.Time { return h.now }, Keys: keys})
	var kb *dialogs.Knowledge
	if withKB {
		kb = &dialogs.Knowledge{Index: testIndex(t), Log: h.db}
	}
	ids := 0
	engine := dialogs.NewEngine(dialogs.Config{
		Now: func() time.Time { return h.now }, Location: shanghai, DefaultLang: dialogs.LangZh,
		Procuratorate: dialogs.Procuratorate{Name: "测试市人民检察院", Address: "测试路1号", Phone: "0857-1234567"},
		NewID:         func() string { ids++; return "draft" + strconv.Itoa(ids) },
		StaffUserIDs:  []int64{staffUser, otherStaff},
		Followup:      f,
	}, h.db, kb)
	h.svc = &dialogs.Service{Engine: engine, Store: h.db}
	return h
}

// send processes one input of actor ("" the petitioner, "s" the staff user in private,
// "g" the staff user in the group, "x" an outsider in the group) and returns what the bot
// did as "<" lines. Every message must render from the locales.
func (h *harness) send(actor string, in dialogs.Input) []string {
	ctx := context.Background()
	in.LangCode = h.lang
	switch actor {
	case "":
		in.ChatID, in.UserID = petitionerChat, petitionerChat
	case "s":
		in.ChatID, in.UserID, in.UserName, in.LangCode = staffUser, staffUser, "王检察官", ""
	case "g", "x":
		in.ChatID, in.UserID, in.UserName, in.StaffChat, in.LangCode = staffGroup, staffUser, "王检察官", true, ""
		if actor == "x" {
			in.UserID, in.UserName = outsider, "路人"
		}
	}
	h.seq++
	res, err := h.svc.Process(ctx, "t"+strconv.Itoa(h.seq), in)
	if err != nil {
		h.t.Fatalf("process: %v", err)
	}
	return h.lines(res)
}

// fire moves the clock to now and fires every job due by then, in due order, as the
// scheduler would, and returns what the bot did.
func (h *harness) fire(now time.Time) []string {
	ctx := context.Background()
	h.now = now
	var out []string
	for round := 0; round < 20; round++ {
		jobs, err := h.db.PendingJobs(ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		fired := 0
		for _, j := range jobs {
			if j.Due.After(now) {
				break
			}
			res, err := h.svc.Process(ctx, j.UpdateID(), dialogs.Input{Kind: dialogs.KindTimer, ChatID: j.Chat, Job: j})
			if err != nil {
				h.t.Fatalf("fire %s: %v", j.ID, err)
			}
			out = append(out, h.lines(res)...)
			fired++
		}
		if fired == 0 {
			return out
		}
	}
	h.t.Fatal("jobs keep falling due")
	return nil
}

// lines turns what processing an input did into "<" lines, and acknowledges the
// deliveries as sent.
func (h *harness) lines(res dialogs.Result) []string {
	ctx := context.Background()
	var out []string
	for _, b := range res.Batches {
		for _, it := range b.Items {
			who, prefix := "", "<"
			switch it.To {
			case dialogs.ToChat(petitionerChat):
			case dialogs.ToChat(staffUser):
				who, prefix = "s", "<s"
			case dialogs.ToStaff():
				who, prefix = "g", "<g"
			default:
				who, prefix = "other", "<c:"+strconv.FormatInt(it.To.Chat, 10)
			}
			if _, err := h.render.HTML(it.Msg); err != nil {
				h.t.Errorf("a message does not render: %v", err)
			}
			line := prefix + " " + describe(it.Msg)
			switch {
			case it.Card != "":
				line += " #card"
			case it.File != nil:
				line += " #file"
			case it.Upload != nil:
				line += " #upload"
			}
			out = append(out, line)
			if len(it.Msg.Buttons) > 0 {
				h.last[who] = it.Msg
			} else if it.Card == "" && it.File == nil && who != "g" { // in the group, the cards stay pressable
				delete(h.last, who)
			}
		}
		if _, _, err := h.db.Done(ctx, b, dialogs.Sent{N: len(b.Items)}); err != nil {
			h.t.Fatal(err)
		}
	}
	if res.Toast != nil {
		out = append(out, "<t "+textKey(*res.Toast))
	}
	return out
}

// input parses a "> …" line of actor.
func (h *harness) input(actor, s string) dialogs.Input {
	last := h.last[actor]
	if actor == "x" {
		last = h.last["g"]
	}
	switch {
	case strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]"):
		key := s[1 : len(s)-1]
		for _, r := range last.Buttons {
			for _, b := range r {
				if b.Label.Key == key {
					return dialogs.Input{Kind: dialogs.KindButton, Data: b.Data}
				}
			}
		}
		h.t.Fatalf("no button %s in the latest message %s", key, describe(last))
	case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
		return dialogs.Input{Kind: dialogs.KindButton, Data: s[1 : len(s)-1]}
	case strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")"):
		kind, name, _ := strings.Cut(s[1:len(s)-1], " ")
		if kind == "photo" || kind == "document" {
			name, mb, _ := strings.Cut(name, " ")
			size, _ := strconv.ParseInt(strings.TrimSuffix(mb, "MB"), 10, 64)
			return dialogs.Input{Kind: dialogs.KindAttachment, Attachment: dialogs.Attachment{FileID: "f" + name, Name: name, Type: kind, Size: size << 20}}
		}
		return dialogs.Input{Kind: dialogs.KindUnsupported, Unsupported: kind}
	}
	if n, x, ok := strings.Cut(s, " "); strings.HasPrefix(n, "~") && ok {
		if count, err := strconv.Atoi(n[1:]); err == nil {
			return dialogs.Input{Kind: dialogs.KindText, Text: strings.Repeat(x, count)}
		}
	}
	return dialogs.Input{Kind: dialogs.KindText, Text: s}
}

// describe renders a message as a "<" line.
func describe(m dialogs.Message) string {
	var parts []string
	for _, p := range m.Parts {
		parts = append(parts, textKey(p))
	}
	s := strings.Join(parts, " ")
	if len(m.Buttons) > 0 {
		var bs []string
		for _, r := range m.Buttons {
			for _, b := range r {
				bs = append(bs, textKey(b.Label))
			}
		}
		s += " | " + strings.Join(bs, " ")
	}
	return s
}

// textKey shows a part's key, its refs in brackets and, for screening and error
// messages, its arguments in braces.
func textKey(t dialogs.Text) string {
	s := t.Key
	if t.Key == "kb.basis" {
		s += "{" + t.Args["ID"] + "}"
	}
	if strings.HasPrefix(t.Key, "screen.") || strings.HasPrefix(t.Key, "err.") {
		var args []string
		for k, v := range t.Args {
			args = append(args, k+"="+v)
		}
		sort.Strings(args)
		if len(args) > 0 {
			s += "{" + strings.Join(args, ",") + "}"
		}
	}
	if len(t.Refs) == 0 {
		return s
	}
	var refs []string
	for _, v := range t.Refs {
		refs = append(refs, v)
	}
	sort.Strings(refs)
	return s + "(" + strings.Join(refs, ",") + ")"
}

func (h *harness) check(line string) {
	ctx := context.Background()
	name, want, _ := strings.Cut(line, "=")
	l, err := h.db.Load(ctx, dialogs.SessionKey{Chat: petitionerChat, User: petitionerChat}, "")
	if err != nil {
		h.t.Fatal(err)
	}
	s := l.Session
	var got string
	switch name {
	case "draft":
		got = "some"
		if s.Draft == nil {
			got = "none"
		}
	case "field":
		if s.Draft != nil {
			got = s.Draft.Field
		}
	case "screening":
		cs, err := h.db.ByChat(ctx, petitionerChat)
		if err != nil || len(cs) == 0 {
			h.t.Fatalf("? %s: no case (%v)", line, err)
		}
		sc := cs[0].Screening
		got = fmt.Sprintf("%s/%s/%d", sc.Result, sc.Deadline, sc.DaysLeft)
	case "audit":
		entries, err := h.db.AuditLog(ctx, "")
		if err != nil {
			h.t.Fatal(err)
		}
		got = strconv.Itoa(len(entries))
	case "jobs":
		jobs, err := h.db.PendingJobs(ctx)
		if err != nil {
			h.t.Fatal(err)
		}
		got = strconv.Itoa(len(jobs))
	case "cases", "status":
		cs, err := h.db.ByChat(ctx, petitionerChat)
		if err != nil {
			h.t.Fatal(err)
		}
		got = strconv.Itoa(len(cs))
		if name == "status" && len(cs) > 0 {
			got = string(cs[0].Status)
		}
	default:
		if n, ok := strings.CutPrefix(name, "checkin"); ok {
			got = h.checkin(n)
		} else if s.Draft != nil {
			got = s.Draft.Values[name]
		}
	}
	if got != want {
		h.t.Errorf("? %s: got %q", line, got)
	}
}

// checkin describes check-in n of the newest case.
func (h *harness) checkin(n string) string {
	cs, err := h.db.ByChat(context.Background(), petitionerChat)
	if err != nil || len(cs) == 0 {
		h.t.Fatalf("no case (%v)", err)
	}
	for _, ci := range cs[0].Checkins {
		if strconv.Itoa(ci.N) != n {
			continue
		}
		switch {
		case ci.Result != "":
			return string(ci.Result)
		case !ci.Reminded.IsZero():
			return "reminded"
		case !ci.Sent.IsZero():
			return "sent"
		}
		return "planned " + ci.Due.In(shanghai).Format("2006-01-02 15:04")
	}
	return "none"
}

func runTranscript(t *testing.T, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	f.Close()

	h := newHarness(t, strings.HasPrefix(filepath.Base(path), "kb_"))
	var out []string // the rewritten file
	var got []string // the bot's pending answers, as "<" lines
	flushGot := func() {
		for _, g := range got {
			t.Errorf("%s: unexpected answer: %s", path, g)
		}
		got = nil
	}
	for n, line := range lines {
		switch {
		case strings.HasPrefix(line, "<"):
			if *update {
				continue
			}
			if len(got) == 0 {
				t.Errorf("%s:%d: expected %s, the bot said nothing more", path, n+1, line)
				continue
			}
			if got[0] != line {
				t.Errorf("%s:%d:\n want %s\n  got %s", path, n+1, line, got[0])
			}
			got = got[1:]
			continue
		case strings.HasPrefix(line, ">t "):
			at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(line[3:]), shanghai)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
			if !*update {
				flushGot()
			}
			out = append(out, line)
			got = append(got, h.fire(at)...)
			if *update {
				out = append(out, got...)
				got = nil
			}
			continue
		case strings.HasPrefix(line, ">"):
			actor, text, ok := strings.Cut(line[1:], " ")
			if !ok || !strings.Contains(" s g x", actor) {
				t.Fatalf("%s:%d: bad input line", path, n+1)
			}
			if !*update {
				flushGot()
			}
			out = append(out, line)
			got = append(got, h.send(actor, h.input(actor, text))...)
			if *update {
				out = append(out, got...)
				got = nil
			}
			continue
		case strings.HasPrefix(line, "? "):
			h.check(line[2:])
		case strings.HasPrefix(line, "@ today "):
			d, err := time.ParseInLocation(time.DateOnly, line[8:], shanghai)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
			h.now = d.Add(10 * time.Hour)
		case strings.HasPrefix(line, "@ lang "):
			h.lang = strings.TrimSpace(line[7:])
		}
		out = append(out, line)
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	flushGot()
}

// TestEveryErrorInATranscript: each validation message of the locales is shown in some
// transcript, so every kind of wrong input is exercised.
func TestEveryErrorInATranscript(t *testing.T) {
	raw, err := locales.File(dialogs.LangZh)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Err map[string]any `toml:"err"`
	}
	if err := toml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/transcripts/*.txt")
	var all strings.Builder
	for _, f := range files {
		b, _ := os.ReadFile(f)
		all.Write(b)
	}
	for code := range m.Err {
		if !strings.Contains(all.String(), "< err."+code) && !strings.Contains(all.String(), " err."+code) {
			t.Errorf("no transcript shows err.%s", code)
		}
	}
}

// testRenderer renders messages from the real locales, to find keys missing there.
func testRenderer(t *testing.T) *bot.Renderer {
	b, err := locales.Bundle()
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewRenderer(b)
}
