package dialogs_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// atStep is a session answering field, with the answers that lead there.
func atStep(field string) *dialogs.Session {
	return &dialogs.Session{Active: true, Draft: &dialogs.Draft{ID: "d", Field: field, Values: map[string]string{
		"consent": "yes", "consent_sensitive": "yes", "target": "judgment", "retrial": "rejected",
		"applicant_type": "individual", "id_type": "resident",
	}}}
}

// dirty reports whether s holds what must never reach staff or /kbstats: control or
// format characters (bidi controls included) other than line breaks, U+FFFD, invalid UTF-8.
func dirty(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError) {
			return true
		}
	}
	return false
}

// TestHostileCharactersInFields: what a petitioner types at a step is stored cleaned, or
// refused with the reason; the step is kept.
func TestHostileCharactersInFields(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai)
	engine := dialogs.NewEngine(dialogs.Config{Now: func() time.Time { return now }, Location: shanghai}, noCases{}, nil)
	for _, tc := range []struct {
		name, field, text string
		want              string // the stored value; "" when refused
		err               string // the reply's error key when refused
	}{
		{"NUL in an address", "address", "贵州省\x00毕节市七星关区某某路8号", "贵州省毕节市七星关区某某路8号", ""},
		{"right-to-left override in a name", "name", "张\u202e三", "张三", ""},
		{"bidi isolates and marks in the facts", "facts", "镇政府\u2067征收我家承包地\u2069，\u200f至今没有支付补偿款，法院判决错误。", "镇政府征收我家承包地，至今没有支付补偿款，法院判决错误。", ""},
		{"invalid UTF-8 in the court", "court", "毕节市\xff\xfe中级人民法院", "毕节市中级人民法院", ""},
		{"replacement characters in the body", "body", "某某镇\ufffd人民政府", "某某镇人民政府", ""},
		{"an escape sequence in the request", "request", "请求检察院\x1b[31m依法提出抗诉或者再审检察建议", "请求检察院[31m依法提出抗诉或者再审检察建议", ""},
		{"HTML kept as text", "body", "<b>某某镇</b> & <a href=\"http://x\">政府</a> <", "<b>某某镇</b> & <a href=\"http://x\">政府</a> <", ""},
		{"64 KB of facts", "facts", strings.Repeat("事", 65536), "", "err.too_long"},
		{"emoji-only name", "name", "😀👨\u200d👩\u200d👧", "", "err.name_chars"},
		{"NUL-only name", "name", "\x00\x00\x00", "", "err.empty"},
		{"control characters in an ID number", "id_number", "5205021985\x0706120033", "520502198506120033", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := atStep(tc.field)
			fx, err := engine.Handle(context.Background(), s, dialogs.Input{ChatID: 1, UserID: 1, Kind: dialogs.KindText, Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			got := s.Draft.Values[tc.field]
			if got != tc.want {
				t.Errorf("stored %q, want %q", got, tc.want)
			}
			if tc.err != "" {
				if key := fx.Deliveries[0].Msg.Parts[0].Key; key != tc.err || s.Draft.Field != tc.field {
					t.Errorf("reply %s at step %s, want %s at %s", key, s.Draft.Field, tc.err, tc.field)
				}
			}
		})
	}
}

// TestQuestionsCleaned: bidi controls, NUL, U+FFFD and invalid UTF-8 in a question reach
// neither /kbstats nor the staff who read a handed-off question, and a hand-off keeps at
// most 500 characters.
func TestQuestionsCleaned(t *testing.T) {
	h := newHarness(t, true)
	ctx := context.Background()
	h.send("", typed("行政诉讼里\u202e举证责任\x00是原告的\ufffd还是\xff政府的\u2066"))
	h.send("", press(h.buttonOf("kb.handoff")))
	reads := []string{h.questionButton()}
	h.send("", typed("转人工\u202e\x00"+strings.Repeat("急", 5000)))
	reads = append(reads, h.questionButton())

	st, err := h.db.KBStats(ctx)
	if err != nil || len(st.Unanswered) == 0 {
		t.Fatalf("no unanswered question recorded: %v", err)
	}
	for _, q := range st.Unanswered {
		if dirty(q.Question) {
			t.Errorf("/kbstats keeps %q", q.Question)
		}
	}
	var questions []string
	for _, data := range reads {
		res := h.groupPress(t, data)
		for _, b := range res.Batches {
			for _, it := range b.Items {
				for _, p := range it.Msg.Parts {
					if q, ok := p.Args["Question"]; ok {
						questions = append(questions, q)
					}
				}
			}
		}
	}
	if len(questions) != 2 {
		t.Fatalf("staff read %d handed-off questions, want 2", len(questions))
	}
	for _, q := range questions {
		if dirty(q) || utf8.RuneCountInString(q) > 500 {
			t.Errorf("staff read %d characters: %q", utf8.RuneCountInString(q), q[:min(len(q), 80)])
		}
	}
	if questions[0] != "行政诉讼里举证责任是原告的还是政府的" {
		t.Errorf("staff read %q", questions[0])
	}
}

// questionButton returns the data of the "read" button of the latest handed-off question.
func (h *harness) questionButton() string {
	h.t.Helper()
	m := h.last["g"]
	if len(m.Buttons) == 0 || !strings.HasPrefix(m.Buttons[0][0].Data, "q:") {
		h.t.Fatalf("no question was handed off to staff: %s", describe(m))
	}
	delete(h.last, "g")
	return m.Buttons[0][0].Data
}

// groupPress presses a button in the staff group as the staff user and returns the
// result, its batches acknowledged and holding what was sent.
func (h *harness) groupPress(t *testing.T, data string) dialogs.Result {
	t.Helper()
	in := dialogs.Input{ChatID: staffGroup, UserID: staffUser, UserName: "王检察官", StaffChat: true, Kind: dialogs.KindButton, Data: data}
	h.seq++
	res, err := h.svc.Process(context.Background(), "g"+strconv.Itoa(h.seq), in)
	if err != nil {
		t.Fatal(err)
	}
	res.Batches = h.sent(t, res)
	return res
}

// TestHandOffLimit: a chat passes at most three requests to staff a day; the fourth is
// told to call, and the next day the count starts again.
func TestHandOffLimit(t *testing.T) {
	h := newHarness(t, false)
	var got []string
	for range 4 {
		got = append(got, h.send("", typed("转人工"))...)
	}
	handOff := []string{"< frontdoor.handoff menu.title | menu.apply menu.ask menu.cases menu.lang menu.privacy", "<g staff.question(lang.zh) | staff.question_read"}
	want := append(append(append(append([]string{}, handOff...), handOff...), handOff...),
		"< frontdoor.handoff_limit menu.title | menu.apply menu.ask menu.cases menu.lang menu.privacy")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("four hand-offs in a day (-want +got):\n%s", diff)
	}
	h.now = h.now.Add(24 * time.Hour)
	if diff := cmp.Diff(handOff, h.send("", typed("转人工"))); diff != "" {
		t.Errorf("the next day (-want +got):\n%s", diff)
	}
}
