package dialogs_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// The timed messages, with the clock injected: when each is scheduled, what it says
// when it fires, and what makes it unnecessary.

func (h *harness) caseOf(t *testing.T, number string) dialogs.Case {
	t.Helper()
	c, err := h.db.Get(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// jobs returns the pending jobs by id.
func (h *harness) jobs(t *testing.T) map[string]dialogs.Job {
	t.Helper()
	js, err := h.db.PendingJobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]dialogs.Job{}
	for _, j := range js {
		out[j.ID] = j
	}
	return out
}

// fireJob moves the clock to the job's due time (or keeps it when later), fires it and
// returns what it delivered, as "<recipient> <first key>" lines.
func (h *harness) fireJob(t *testing.T, j dialogs.Job) []string {
	t.Helper()
	if h.now.Before(j.Due) {
		h.now = j.Due.In(shanghai)
	}
	res, err := h.svc.Process(context.Background(), j.UpdateID(), dialogs.Input{Kind: dialogs.KindTimer, ChatID: j.Chat, Job: j})
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicate {
		return []string{"duplicate"}
	}
	var out []string
	for _, b := range h.sent(t, res) {
		for _, it := range b.Items {
			if !it.Proactive {
				t.Errorf("%s: a delivery of a timed job is not proactive", j.ID)
			}
			out = append(out, it.To.String()+" "+it.Msg.Parts[0].Key)
		}
	}
	return out
}

// keys lists the first keys of a result's deliveries, as fireJob does.
func keys(res dialogs.Result) []string {
	var out []string
	for _, b := range res.Batches {
		for _, it := range b.Items {
			out = append(out, it.To.String()+" "+it.Msg.Parts[0].Key)
		}
	}
	return out
}

func at(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// closedCase submits an application, accepts it and closes it as settled at closeAt.
func (h *harness) closedCase(t *testing.T, chat int64, closeAt time.Time) dialogs.Case {
	t.Helper()
	c := h.submitCase(t, chat, "zh")
	h.press(t, staffUser, "acc", c)
	h.now = closeAt
	h.closeCase(t, h.caseOf(t, c.Number), dialogs.OutcomeSettled)
	return h.caseOf(t, c.Number)
}

const petitioner = int64(7001)

// TestCheckinAcrossTheNight: a check-in that would fall due at night is planned for the
// next morning; it is reminded once after FOLLOWUP_REMINDER, then recorded as no response
// and the case's staff told; firing a job a second time has no effect.
func TestCheckinAcrossTheNight(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{Offsets: []time.Duration{time.Hour}, Reminder: 48 * time.Hour})
	c := h.closedCase(t, petitioner, at(t, "2026-11-27 19:30"))
	ci := c.Number + "/ci/1"
	j, ok := h.jobs(t)[ci]
	if !ok || !j.Due.Equal(at(t, "2026-11-28 09:00")) || j.Chat != petitioner {
		t.Fatalf("check-in job %+v, want it at 09:00 the next morning for the petitioner", j)
	}
	if got := h.fireJob(t, j); !slices.Equal(got, []string{"chat:7001 checkin.ask"}) {
		t.Fatalf("the check-in delivered %q", got)
	}
	if got := h.fireJob(t, j); !slices.Equal(got, []string{"duplicate"}) {
		t.Fatalf("firing it again delivered %q", got)
	}
	js := h.jobs(t)
	if _, ok := js[ci]; ok {
		t.Fatal("the check-in is still pending after it fired")
	}
	r := js[c.Number+"/cr/1"]
	if !r.Due.Equal(at(t, "2026-11-30 09:00")) {
		t.Fatalf("reminder at %s, want two days later", r.Due.In(shanghai))
	}
	if got := h.fireJob(t, r); !slices.Equal(got, []string{"chat:7001 checkin.remind"}) {
		t.Fatalf("the reminder delivered %q", got)
	}
	lapse := h.jobs(t)[c.Number+"/cn/1"]
	if !lapse.Due.Equal(at(t, "2026-12-02 09:00")) || lapse.Chat != 0 {
		t.Fatalf("no-response job %+v", lapse)
	}
	if got := h.fireJob(t, lapse); !slices.Equal(got, []string{"staff checkin.alert_silent"}) {
		t.Fatalf("recording no response delivered %q, want the staff told", got)
	}
	if got := h.caseOf(t, c.Number).Checkins[0].Result; got != dialogs.CheckinNoResponse {
		t.Fatalf("result %q, want no_response", got)
	}
	if n := len(h.jobs(t)); n != 0 {
		t.Fatalf("%d jobs left", n)
	}
}

// TestCheckinFallsDueAtNight: a check-in found due outside the hours (the bot was down
// when it fell due) waits for the opening and is sent then, once.
func TestCheckinFallsDueAtNight(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{Offsets: []time.Duration{24 * time.Hour}})
	c := h.closedCase(t, petitioner, at(t, "2026-11-27 10:00"))
	j := h.jobs(t)[c.Number+"/ci/1"]
	h.now = at(t, "2026-11-28 23:15")
	if got := h.fireJob(t, j); len(got) != 0 {
		t.Fatalf("sent at night: %q", got)
	}
	later := h.jobs(t)[j.ID]
	if !later.Due.Equal(at(t, "2026-11-29 09:00")) {
		t.Fatalf("held until %s, want 09:00", later.Due.In(shanghai))
	}
	if got := h.fireJob(t, later); !slices.Equal(got, []string{"chat:7001 checkin.ask"}) {
		t.Fatalf("the morning delivered %q", got)
	}
}

// TestReopenCancelsCheckins: reopening cancels the check-ins still to come; a job that
// fires anyway (claimed before the reopening) does nothing.
func TestReopenCancelsCheckins(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{})
	c := h.closedCase(t, petitioner, at(t, "2026-11-27 10:00"))
	before := h.jobs(t)
	if len(before) != 3 {
		t.Fatalf("%d jobs after a settled closure, want 3 check-ins", len(before))
	}
	h.press(t, staffUser, "reo", c)
	for id := range h.jobs(t) {
		if strings.Contains(id, "/ci/") {
			t.Fatalf("check-in %s still pending after the reopening", id)
		}
	}
	for _, ci := range h.caseOf(t, c.Number).Checkins {
		if ci.Result != dialogs.CheckinCancelled {
			t.Fatalf("check-in %d is %q, want cancelled", ci.N, ci.Result)
		}
	}
	if got := h.fireJob(t, before[c.Number+"/ci/1"]); len(got) != 0 {
		t.Fatalf("a cancelled check-in delivered %q", got)
	}
}

// TestOptOutCancels: "please stop" records the answer, cancels the other check-ins and
// their jobs, and /followup is refused afterwards.
func TestOptOutCancels(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{})
	c := h.closedCase(t, petitioner, at(t, "2026-11-27 10:00"))
	h.fireJob(t, h.jobs(t)[c.Number+"/ci/1"])
	h.seq++
	res, err := h.svc.Process(context.Background(), "stop"+strconv.Itoa(h.seq), dialogs.Input{ChatID: petitioner, UserID: petitioner,
		Kind: dialogs.KindButton, Data: "v:" + c.Number + ":1:s"})
	if err != nil {
		t.Fatal(err)
	}
	h.sent(t, res)
	got := h.caseOf(t, c.Number)
	want := []dialogs.CheckinResult{dialogs.CheckinStopped, dialogs.CheckinCancelled, dialogs.CheckinCancelled}
	var results []dialogs.CheckinResult
	for _, ci := range got.Checkins {
		results = append(results, ci.Result)
	}
	if diff := cmp.Diff(want, results); diff != "" || !got.CheckinsOff {
		t.Fatalf("results (-want +got):\n%s off=%v", diff, got.CheckinsOff)
	}
	if n := len(h.jobs(t)); n != 0 {
		t.Fatalf("%d jobs left after opting out", n)
	}
	if k := keys(h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "/followup " + c.Number + " 2027-01-10"})); !slices.Equal(k, []string{"chat:900 followup.opted_out"}) {
		t.Fatalf("/followup after opting out: %q", k)
	}
}

// TestUnreachableCheckin: Telegram refusing a check-in for good (reported as
// KindUndeliverable) records it unreachable, tells the case's staff and cancels its
// reminder; reported twice, it changes nothing more.
func TestUnreachableCheckin(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{})
	c := h.closedCase(t, petitioner, at(t, "2026-11-27 10:00"))
	h.fireJob(t, h.jobs(t)[c.Number+"/ci/1"])
	if _, ok := h.jobs(t)[c.Number+"/cr/1"]; !ok {
		t.Fatal("no reminder planned")
	}
	for i, want := range []string{"staff", ""} {
		res, err := h.svc.Process(context.Background(), "undeliverable:"+strconv.Itoa(i), dialogs.Input{Kind: dialogs.KindUndeliverable,
			ChatID: petitioner, Data: "ci:" + c.Number + ":1"})
		got := ""
		for _, b := range res.Batches {
			got += b.To.String()
			if b.Items[0].Msg.Parts[0].Key != "checkin.alert_unreachable" {
				t.Fatalf("report %d told the staff %q", i, b.Items[0].Msg.Parts[0].Key)
			}
		}
		if err != nil || got != want {
			t.Fatalf("report %d: delivered to %q, want %q (%v)", i, got, want, err)
		}
	}
	if got := h.caseOf(t, c.Number).Checkins[0].Result; got != dialogs.CheckinUnreachable {
		t.Fatalf("result %q", got)
	}
	if _, ok := h.jobs(t)[c.Number+"/cr/1"]; ok {
		t.Fatal("an unreachable check-in is still to be reminded")
	}
}

// hearing schedules a hearing on an accepted case at when, through the staff form.
func (h *harness) hearing(t *testing.T, c dialogs.Case, when time.Time) dialogs.Result {
	t.Helper()
	h.press(t, staffUser, "inv", c)
	h.press(t, staffUser, "hea", h.caseOf(t, c.Number))
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: when.Format("2006-01-02 15:04")})
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "本院听证室"})
	h.private(t, dialogs.Input{Kind: dialogs.KindButton, Data: "g:deputy:"})
	h.private(t, dialogs.Input{Kind: dialogs.KindButton, Data: "g:cppcc:"})
	return h.private(t, dialogs.Input{Kind: dialogs.KindButton, Data: "g:expert:"})
}

// TestHearingNoticeTiming: the petitioner is told at once when a hearing is scheduled;
// a hearing more than five days away gets the notice again three days ahead; the day
// before, the petitioner and the case's staff are reminded.
func TestHearingNoticeTiming(t *testing.T) {
	for _, tc := range []struct {
		name       string
		hearing    string
		notice     string // "" for none
		reminder   string
		wantNotice bool
	}{
		{"the day after tomorrow", "2026-11-29 14:00", "", "2026-11-28 09:00", false},
		{"in ten days", "2026-12-07 09:30", "2026-12-04 09:00", "2026-12-06 09:00", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarnessFollowup(t, false, dialogs.Followup{})
			c := h.submitCase(t, petitioner, "zh")
			h.press(t, staffUser, "acc", c)
			res := h.hearing(t, h.caseOf(t, c.Number), at(t, tc.hearing))
			if !slices.Contains(keys(res), "chat:7001 notify.hearing") {
				t.Fatalf("the petitioner was not told at once: %q", keys(res))
			}
			js := h.jobs(t)
			n, hasNotice := js[c.Number+"/hn"]
			if hasNotice != tc.wantNotice || hasNotice && !n.Due.Equal(at(t, tc.notice)) {
				t.Fatalf("three-day notice %v at %s, want %v at %s", hasNotice, n.Due.In(shanghai), tc.wantNotice, tc.notice)
			}
			r := js[c.Number+"/hr"]
			if !r.Due.Equal(at(t, tc.reminder)) {
				t.Fatalf("reminder at %s, want %s", r.Due.In(shanghai), tc.reminder)
			}
			if hasNotice {
				if got := h.fireJob(t, n); !slices.Equal(got, []string{"chat:7001 timed.hearing_notice"}) {
					t.Fatalf("the notice delivered %q", got)
				}
			}
			got := h.fireJob(t, r)
			slices.Sort(got)
			if !slices.Equal(got, []string{"chat:7001 timed.hearing_reminder", "staff timed.hearing_staff"}) {
				t.Fatalf("the reminder delivered %q", got)
			}
		})
	}
}

// TestMaterialsReminders: requested materials are reminded two days before their
// deadline; once it passed, staff are asked what to do; materials that arrive cancel
// both.
func TestMaterialsReminders(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{})
	c := h.submitCase(t, petitioner, "zh")
	request := func() {
		h.press(t, staffUser, "mat", h.caseOf(t, c.Number))
		h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "身份证复印件"})
		h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: h.now.AddDate(0, 0, 5).Format("2006-01-02")})
	}
	request()
	js := h.jobs(t)
	remind, overdue := js[c.Number+"/mr"], js[c.Number+"/mo"]
	if !remind.Due.Equal(at(t, "2026-11-30 09:00")) || !overdue.Due.Equal(at(t, "2026-12-03 09:00")) {
		t.Fatalf("reminder %s, overdue %s", remind.Due.In(shanghai), overdue.Due.In(shanghai))
	}
	h.press(t, staffUser, "min", h.caseOf(t, c.Number))
	if n := len(h.jobs(t)); n != 0 {
		t.Fatalf("%d jobs after the materials arrived", n)
	}
	request()
	js = h.jobs(t)
	if got := h.fireJob(t, js[c.Number+"/mr"]); !slices.Equal(got, []string{"chat:7001 timed.materials_reminder"}) {
		t.Fatalf("the reminder delivered %q", got)
	}
	if got := h.fireJob(t, js[c.Number+"/mo"]); !slices.Equal(got, []string{"staff timed.materials_overdue"}) {
		t.Fatalf("the overdue flag delivered %q", got)
	}
	if n := len(h.jobs(t)); n != 0 {
		t.Fatalf("%d jobs left", n)
	}
}

// TestDeadlineFlags: the review period is flagged ten days before its end and the day
// after it; a rectification suggestion past its deadline is flagged unless adopted; an
// extension warns again about the new end.
func TestDeadlineFlags(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{})
	c := h.submitCase(t, petitioner, "zh")
	h.press(t, staffUser, "asg", c)
	h.press(t, staffUser, "acc", h.caseOf(t, c.Number))
	js := h.jobs(t)
	near, over := js[c.Number+"/rn"], js[c.Number+"/rv"]
	if !near.Due.Equal(at(t, "2027-02-17 09:00")) || !over.Due.Equal(at(t, "2027-02-28 09:00")) {
		t.Fatalf("review near %s, over %s (review period ends 2027-02-27)", near.Due.In(shanghai), over.Due.In(shanghai))
	}
	h.press(t, staffUser, "inv", h.caseOf(t, c.Number))
	h.press(t, staffUser, "rec", h.caseOf(t, c.Number))
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "某某镇人民政府"})
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "依法支付补偿款"})
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "2026-12-31"})
	rect := h.jobs(t)[c.Number+"/ro/1"]
	if !rect.Due.Equal(at(t, "2027-01-01 09:00")) {
		t.Fatalf("rectification flag at %s", rect.Due.In(shanghai))
	}
	if got := h.fireJob(t, rect); !slices.Equal(got, []string{"chat:900 timed.rect_overdue"}) {
		t.Fatalf("the rectification flag delivered %q (the case is assigned: to the assignee)", got)
	}
	if got := h.fireJob(t, near); !slices.Equal(got, []string{"chat:900 timed.review_near"}) {
		t.Fatalf("the review warning delivered %q", got)
	}
	h.press(t, staffUser, "ext", h.caseOf(t, c.Number))
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "2027-05-27"})
	h.private(t, dialogs.Input{Kind: dialogs.KindText, Text: "检察长李某，2027-02-18"})
	js = h.jobs(t)
	if got := js[c.Number+"/rn"].Due; !got.Equal(at(t, "2027-05-17 09:00")) {
		t.Fatalf("after the extension the warning is at %s", got.In(shanghai))
	}
	if got := js[c.Number+"/rv"].Due; !got.Equal(at(t, "2027-05-28 09:00")) {
		t.Fatalf("after the extension the flag is at %s", got.In(shanghai))
	}
}

// TestDigest: the daily digest lists new and overdue cases, hearings this week and
// check-ins answered "not at all" by case number, and schedules the next one.
func TestDigest(t *testing.T) {
	h := newHarnessFollowup(t, false, dialogs.Followup{DigestAt: "09:00"})
	eng := h.svc.Engine
	old := h.submitCase(t, petitioner, "zh")
	h.press(t, staffUser, "acc", old)
	bad := h.closedCase(t, petitioner+1, h.now)
	h.fireJob(t, h.jobs(t)[bad.Number+"/ci/1"])
	h.seq++
	res, err := h.svc.Process(context.Background(), "na"+strconv.Itoa(h.seq), dialogs.Input{ChatID: petitioner + 1, UserID: petitioner + 1,
		Kind: dialogs.KindButton, Data: "v:" + bad.Number + ":1:n"})
	if err != nil {
		t.Fatal(err)
	}
	if k := keys(res); !slices.Contains(k, "staff checkin.alert") {
		t.Fatalf("\"not at all\" did not alert the staff group (nobody handles the case): %q", k)
	}
	h.sent(t, res)
	h.now = at(t, "2027-03-01 08:00")
	fresh := h.submitCase(t, petitioner+2, "zh")
	h.press(t, staffUser, "acc", fresh)
	h.hearing(t, h.caseOf(t, fresh.Number), at(t, "2027-03-05 09:30"))

	j, ok := eng.DigestJob(h.now)
	if !ok || !j.Due.Equal(at(t, "2027-03-01 09:00")) {
		t.Fatalf("next digest %+v", j)
	}
	if _, err := h.db.EnsureJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	h.now = j.Due.In(shanghai)
	res, err = h.svc.Process(context.Background(), j.UpdateID(), dialogs.Input{Kind: dialogs.KindTimer, Job: j})
	if err != nil || len(res.Batches) != 1 || len(res.Batches[0].Items) != 1 {
		t.Fatalf("digest: %v %v", res.Batches, err)
	}
	msg := res.Batches[0].Items[0]
	if msg.To != dialogs.ToStaff() {
		t.Fatalf("the digest went to %s", msg.To)
	}
	got := map[string]string{}
	for _, p := range msg.Msg.Parts[1:] {
		got[p.Refs["What"]] = p.Args["N"] + " " + p.Args["Numbers"]
	}
	want := map[string]string{
		"digest.new":        "1 " + fresh.Number,
		"digest.overdue":    "1 " + old.Number,
		"digest.hearings":   "1 " + fresh.Number,
		"digest.not_at_all": "1 " + bad.Number,
		"digest.unanswered": "0 —",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("digest lines (-want +got):\n%s", diff)
	}
	if next := h.jobs(t)["digest"]; !next.Due.Equal(at(t, "2027-03-02 09:00")) {
		t.Fatalf("next digest at %s", next.Due.In(shanghai))
	}
}
