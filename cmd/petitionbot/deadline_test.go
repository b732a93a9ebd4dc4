package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type deadlineJSON struct {
	Route      string `json:"route"`
	Deadline   string `json:"deadline"`
	RolledOver bool   `json:"rolled_over"`
	Status     string `json:"status"`
	DaysLeft   int    `json:"days_left"`
	Basis      string `json:"basis"`
}

// runDeadline runs "petitionbot deadline ARGS" through run, as the binary would.
func runDeadline(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"petitionbot", "deadline"}, args...), func(string) string { return "" }, nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

// deadlineOf runs the command with --json and decodes its one line, checking that it
// holds exactly the contract's fields.
func deadlineOf(t *testing.T, args ...string) deadlineJSON {
	t.Helper()
	out, errOut, err := runDeadline(t, append(args, "--json")...)
	if err != nil {
		t.Fatalf("deadline %v: %v\n%s", args, err, errOut)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("--json must print one line:\n%s", out)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	var names []string
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"basis", "days_left", "deadline", "rolled_over", "route", "status"}, names); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
	var got deadlineJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDeadlineDoneWhen is the acceptance case: served 2026-04-01, the six months
// end on National Day and the last day is 2026-10-08.
func TestDeadlineDoneWhen(t *testing.T) {
	got := deadlineOf(t, "--route", "retrial-rejected", "--from", "2026-04-01", "--today", "2026-06-01")
	want := deadlineJSON{Route: "retrial-rejected", Deadline: "2026-10-08", RolledOver: true, Status: "open", DaysLeft: 129, Basis: got.Basis}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(got.Basis, "送达之日起六个月") {
		t.Errorf("the default language is zh-Hans, basis %q", got.Basis)
	}
}

func TestDeadlineRoutes(t *testing.T) {
	tests := []struct {
		name                  string
		args                  []string
		deadline, status      string
		rolled                bool
		days                  int
		basisHas, basisHasNot string
	}{
		{"court did not rule: its last day is still too early",
			[]string{"--route", "retrial-no-ruling", "--from", "2026-06-01", "--today", "2026-12-01", "--lang", "en"},
			"2027-06-01", "too_early", false, 182, "Art. 112", "holiday calendar"},
		{"court did not rule: open the day after",
			[]string{"--route", "retrial-no-ruling", "--from", "2026-06-01", "--today", "2026-12-02", "--lang", "en"},
			"2027-06-01", "open", false, 181, "Art. 112", ""},
		{"retrial judgment, passed",
			[]string{"--route", "retrial-judgment", "--from", "2025-01-31", "--today", "2026-11-27", "--lang", "en"},
			"2025-07-31", "passed", false, -484, "took effect", ""},
		{"personnel, a Saturday last day",
			[]string{"--route", "personnel", "--from", "2026-05-28", "--today", "2026-11-27", "--lang", "en"},
			"2026-11-30", "open", true, 3, "should have known", ""},
		{"enforcement, knew or should have known",
			[]string{"--route", "enforcement", "--from", "2026-06-15", "--today", "2026-11-27"},
			"2026-12-15", "open", false, 18, "应当知道", ""},
		{"a year outside the holiday data is flagged in the basis",
			[]string{"--route", "personnel", "--from", "2030-12-15", "--today", "2031-01-10", "--lang", "en"},
			"2031-06-15", "open", false, 156, "does not cover 2031", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deadlineOf(t, tt.args...)
			if got.Deadline != tt.deadline || got.Status != tt.status || got.RolledOver != tt.rolled || got.DaysLeft != tt.days {
				t.Errorf("got %+v", got)
			}
			if !strings.Contains(got.Basis, tt.basisHas) || (tt.basisHasNot != "" && strings.Contains(got.Basis, tt.basisHasNot)) {
				t.Errorf("basis %q", got.Basis)
			}
		})
	}
}

// TestDeadlinePlain: without --json the answer is the localized plain text the chat uses.
func TestDeadlinePlain(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"zh-Hans", "顺延到节假日后的第一个工作日 2026-10-08"},
		{"en", "the last day moves to the next working day, 2026-10-08"},
	} {
		out, errOut, err := runDeadline(t, "--route", "retrial-rejected", "--from", "2026-04-01", "--today", "2026-06-01", "--lang", tt.lang)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.lang, err, errOut)
		}
		if !strings.Contains(out, tt.want) || strings.Contains(out, "<b>") {
			t.Errorf("%s: plain text lacks %q or has tags:\n%s", tt.lang, tt.want, out)
		}
	}
	out, _, err := runDeadline(t, "--route", "personnel", "--from", "2030-12-15", "--today", "2031-01-10", "--lang", "en")
	if err != nil || !strings.Contains(out, "does not cover 2031") {
		t.Errorf("the text must say the year is outside the holiday data (%v):\n%s", err, out)
	}
}

// TestDeadlineDefaultToday: without --today, today is the date in BOT_TIMEZONE.
func TestDeadlineDefaultToday(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 6, 1, 17, 0, 0, 0, time.UTC) } // 2026-06-02 01:00 in Shanghai
	for _, tt := range []struct {
		zone string
		days int
	}{{"", 128}, {"Asia/Shanghai", 128}, {"UTC", 129}} {
		var out, errOut bytes.Buffer
		getenv := func(k string) string {
			if k == "BOT_TIMEZONE" {
				return tt.zone
			}
			return ""
		}
		if err := deadlineCmd([]string{"--route", "retrial-rejected", "--from", "2026-04-01", "--json"}, getenv, now, &out, &errOut); err != nil {
			t.Fatalf("%q: %v\n%s", tt.zone, err, errOut.String())
		}
		var got deadlineJSON
		if err := json.Unmarshal(out.Bytes(), &got); err != nil || got.DaysLeft != tt.days {
			t.Errorf("BOT_TIMEZONE %q: %d days left (%v), want %d", tt.zone, got.DaysLeft, err, tt.days)
		}
	}
}

// TestDeadlineBadFlags: every mistake is one clear line on stderr and exit status 2.
func TestDeadlineBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no route", []string{"--from", "2026-04-01"}, "--route must be one of"},
		{"unknown route", []string{"--route", "appeal", "--from", "2026-04-01"}, `got "appeal"`},
		{"a chat-only route", []string{"--route", "discovered", "--from", "2026-04-01"}, `got "discovered"`},
		{"no from", []string{"--route", "personnel"}, "--from must be a date"},
		{"impossible date", []string{"--route", "personnel", "--from", "2026-02-30"}, "--from must be a date"},
		{"bad today", []string{"--route", "personnel", "--from", "2026-04-01", "--today", "tomorrow"}, "--today must be a date"},
		{"from after today", []string{"--route", "personnel", "--from", "2026-04-01", "--today", "2026-03-01"}, "is after today"},
		{"bad language", []string{"--route", "personnel", "--from", "2026-04-01", "--lang", "fr"}, "--lang must be"},
		{"unknown flag", []string{"--route", "personnel", "--from", "2026-04-01", "--days", "3"}, "not defined: -days"},
		{"stray argument", []string{"--route", "personnel", "--from", "2026-04-01", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, err := runDeadline(t, tt.args...)
			if !errors.Is(err, errUsage) {
				t.Fatalf("want errUsage (exit 2), got %v", err)
			}
			if out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "deadline: ") || !strings.Contains(errOut, tt.want) {
				t.Errorf("want one line on stderr containing %q, got stdout %q stderr %q", tt.want, out, errOut)
			}
		})
	}
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == "BOT_TIMEZONE" {
			return "Mars/Olympus"
		}
		return ""
	}
	err := deadlineCmd([]string{"--route", "personnel", "--from", "2026-04-01"}, getenv, time.Now, &out, &errOut)
	if !errors.Is(err, errUsage) || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "BOT_TIMEZONE") {
		t.Errorf("a bad BOT_TIMEZONE: %v %q", err, errOut.String())
	}
}
