package dialogs_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// submitCase submits the benchmark's whole application from chat, returning its case.
func (h *harness) submitCase(t *testing.T, chat int64, lang string) dialogs.Case {
	t.Helper()
	for _, in := range application {
		in.ChatID, in.UserID, in.LangCode = chat, chat, lang
		h.seq++
		res, err := h.svc.Process(context.Background(), "c"+strconv.Itoa(h.seq), in)
		if err != nil {
			t.Fatal(err)
		}
		h.sent(t, res)
	}
	cs, err := h.db.ByChat(context.Background(), chat)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no case for chat %d: %v", chat, err)
	}
	return cs[0]
}

// press makes a staff user press a card button of case c: "s:<code>:<number>:<version>".
func (h *harness) press(t *testing.T, user int64, code string, c dialogs.Case) dialogs.Result {
	t.Helper()
	h.seq++
	in := dialogs.Input{ChatID: staffGroup, UserID: user, UserName: "staff" + strconv.FormatInt(user, 10), StaffChat: true,
		Kind: dialogs.KindButton, Data: "s:" + code + ":" + c.Number + ":" + strconv.FormatInt(c.Version, 10)}
	res, err := h.svc.Process(context.Background(), "p"+strconv.Itoa(h.seq), in)
	if err != nil {
		t.Fatal(err)
	}
	res.Batches = h.sent(t, res)
	return res
}

// sent acknowledges a result's batches, as a sender that delivered them would, and
// returns them with everything that waited for the same recipients.
func (h *harness) sent(t *testing.T, res dialogs.Result) []dialogs.Batch {
	t.Helper()
	var all []dialogs.Batch
	for _, b := range res.Batches {
		for more := true; more; {
			all = append(all, b)
			var err error
			if b, more, err = h.db.Done(context.Background(), b, dialogs.Sent{N: len(b.Items)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return all
}

// TestStatsAndExport: /stats and /export agree with the cases created: two applications,
// one accepted then closed as settled, one not accepted.
func TestStatsAndExport(t *testing.T) {
	h := newHarness(t, false)
	ctx := context.Background()
	a := h.submitCase(t, 201, "")
	b := h.submitCase(t, 202, "en")
	h.press(t, staffUser, "asg", a)
	a, _ = h.db.Get(ctx, a.Number)
	h.press(t, staffUser, "acc", a)
	a, _ = h.db.Get(ctx, a.Number)
	h.closeCase(t, a, dialogs.OutcomeSettled)
	h.rejectCase(t, b, "不属于本院管辖")

	cases, err := h.db.List(ctx)
	if err != nil || len(cases) != 2 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	st := dialogs.ComputeStats(cases, h.now, shanghai)
	want := dialogs.Stats{Total: 2,
		ByStatus:  map[dialogs.Status]int{dialogs.StatusClosed: 1, dialogs.StatusNotAccepted: 1},
		ByDispute: map[string]int{"land": 2}, BySource: map[dialogs.Source]int{dialogs.SourceApplication: 2},
		ClosedMonth: 1, ClosedYear: 1, ResolvedMonth: 1, ResolvedYear: 1}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}

	got := h.exportRows(t, "/export 2026-01-01 2026-12-31")
	wantRows := [][]string{
		dialogs.ExportColumns,
		{a.Number, "application", "closed", "land", "2026-11-27", "2026-11-27", "2026-11-27", "settled", "900", "0", "0", "0"},
		{b.Number, "application", "not_accepted", "land", "2026-11-27", "", "2026-11-27", "", "", "0", "0", "0"},
	}
	if diff := cmp.Diff(wantRows, got); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}
	full := h.exportRows(t, "/export 2026-01-01 2026-12-31 full")
	if len(full) != 3 || full[0][12] != "name" || full[1][12] != "张三" || full[1][13] != "13812345678" {
		t.Errorf("full export %q", full)
	}
	if out := h.exportRows(t, "/export 2026-12-01 2026-12-31"); len(out) != 1 {
		t.Errorf("export of a period without cases: %q", out)
	}
	// Every export is in the audit log, without personal data.
	entries, _ := h.db.AuditLog(ctx, "")
	exports := 0
	for _, e := range entries {
		if e.Action == dialogs.AuditExport {
			exports++
		}
	}
	if exports != 3 {
		t.Errorf("%d exports audited, want 3", exports)
	}
}

// exportRows runs an /export command in the staff user's private chat and parses the CSV.
func (h *harness) exportRows(t *testing.T, cmd string) [][]string {
	t.Helper()
	h.seq++
	res, err := h.svc.Process(context.Background(), "x"+strconv.Itoa(h.seq),
		dialogs.Input{ChatID: staffUser, UserID: staffUser, Kind: dialogs.KindText, Text: cmd})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range h.sent(t, res) {
		for _, it := range b.Items {
			if it.Upload != nil {
				data := it.Upload.Data
				if !bytes.HasPrefix(data, []byte("\uFEFF")) {
					t.Error("the CSV does not start with a BOM")
				}
				rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				return rows
			}
		}
	}
	t.Fatalf("%s: no CSV", cmd)
	return nil
}

// closeCase and rejectCase run a form in the staff user's private chat.
func (h *harness) closeCase(t *testing.T, c dialogs.Case, o dialogs.Outcome) {
	h.press(t, staffUser, "clo", c)
	h.private(t, dialogs.Input{Kind: dialogs.KindButton, Data: "g:outcome:" + string(o)})
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "镇政府在月底前支付补偿款"})
}

func (h *harness) rejectCase(t *testing.T, c dialogs.Case, reason string) {
	h.press(t, staffUser, "rej", c)
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: reason})
}

func (h *harness) private(t *testing.T, in dialogs.Input) dialogs.Result {
	t.Helper()
	in.ChatID, in.UserID, in.UserName = staffUser, staffUser, "王检察官"
	h.seq++
	res, err := h.svc.Process(context.Background(), "s"+strconv.Itoa(h.seq), in)
	if err != nil {
		t.Fatal(err)
	}
	res.Batches = h.sent(t, res)
	return res
}

// TestNoticesInThePetitionersLanguage: an English-speaking petitioner is told of staff
// actions in English, without the staff member's name or note.
func TestNoticesInThePetitionersLanguage(t *testing.T) {
	h := newHarness(t, false)
	c := h.submitCase(t, 203, "en")
	if c.Lang != dialogs.LangEn {
		t.Fatalf("case language %q", c.Lang)
	}
	res := h.press(t, staffUser, "acc", c)
	var notice *dialogs.Delivery
	for _, b := range res.Batches {
		for i := range b.Items {
			if b.Items[i].To == dialogs.ToChat(203) {
				notice = &b.Items[i].Delivery
			}
		}
	}
	if notice == nil || notice.Msg.Lang != dialogs.LangEn || notice.Msg.Parts[0].Key != "notify.accept" {
		t.Fatalf("notice %+v", notice)
	}
	text, err := h.render.HTML(notice.Msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"staff900", "王检察官"} {
		if bytes.Contains([]byte(text), []byte(bad)) {
			t.Errorf("the notice names the staff: %s", text)
		}
	}
}

// TestTwoStaffAtOnce: two staff users press "accept" on the same card at the same moment.
// One wins; the other's press is handled again on the new state and told the card was out
// of date; the case is accepted once.
func TestTwoStaffAtOnce(t *testing.T) {
	h := newHarness(t, false)
	c := h.submitCase(t, 204, "")
	gate := &gatedStore{Store: h.db, hold: make(chan struct{}), held: make(chan struct{})}
	h.svc = &dialogs.Service{Engine: h.svc.Engine, Store: gate}
	var wg sync.WaitGroup
	var first dialogs.Result
	wg.Add(1)
	go func() { defer wg.Done(); first = h.press(t, staffUser, "acc", c) }()
	<-gate.held // the first press has read the case and waits to commit
	second := h.press(t, otherStaff, "acc", c)
	close(gate.hold)
	wg.Wait()

	got, _ := h.db.Get(context.Background(), c.Number)
	accepts := 0
	for _, ev := range got.History {
		if ev.Action == dialogs.ActAccept {
			accepts++
		}
	}
	if got.Status != dialogs.StatusAccepted || accepts != 1 {
		t.Fatalf("status %s with %d accepts", got.Status, accepts)
	}
	if second.Toast == nil || second.Toast.Key != "staff.done_toast" {
		t.Errorf("the second press (committed first) was told %+v", second.Toast)
	}
	if first.Toast == nil || first.Toast.Key != "staff.stale_card" || first.Toast.Refs["Status"] != "status.accepted" {
		t.Errorf("the losing press was told %+v, want the card was out of date", first.Toast)
	}
}

// gatedStore holds the first commit until hold is closed.
type gatedStore struct {
	dialogs.Store
	once       sync.Once
	hold, held chan struct{}
}

func (g *gatedStore) Commit(ctx context.Context, key dialogs.SessionKey, update string, v int64, fx dialogs.Effects) ([]dialogs.Batch, error) {
	first := false
	g.once.Do(func() { first = true })
	if first {
		close(g.held)
		<-g.hold
	}
	return g.Store.Commit(ctx, key, update, v, fx)
}

// TestOldCardAfterANote: a press on a card drawn before a note or a message (which the card
// does not show) still works; one drawn before a change of status does not.
func TestOldCardAfterANote(t *testing.T) {
	h := newHarness(t, false)
	ctx := context.Background()
	c := h.submitCase(t, 205, "")
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "/note " + c.Number + " 已电话联系"})
	res := h.press(t, staffUser, "acc", c) // c is the version before the note
	if res.Toast == nil || res.Toast.Key != "staff.done_toast" {
		t.Fatalf("press after a note: %+v", res.Toast)
	}
	res = h.press(t, staffUser, "inv", c) // drawn before the acceptance
	if res.Toast == nil || res.Toast.Key != "staff.stale_card" {
		t.Fatalf("press on a card from before the acceptance: %+v", res.Toast)
	}
	if got, _ := h.db.Get(ctx, c.Number); got.Status != dialogs.StatusAccepted {
		t.Fatalf("status %s", got.Status)
	}
}
