package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestConsoleApplication pipes a complete application into the program with no
// configuration at all: it prints a case number and exactly one staff alert, and exits 0.
func TestConsoleApplication(t *testing.T) {
	script, err := os.ReadFile("testdata/console-application.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The script's service date, moved to 60 days ago: the deadline must not have passed
	// whenever the test runs (once it has, the bot asks one more question).
	script = bytes.Replace(script, []byte("\n2026-09-01\n"), []byte("\n"+recentServiceDate()+"\n"), 1)
	var out, errOut bytes.Buffer
	noEnv := func(string) string { return "" }
	if err := run(context.Background(), []string{"petitionbot"}, noEnv, bytes.NewReader(script), &out, &errOut); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	text := out.String()
	if !regexp.MustCompile(`JC-\d{4}-\d{6}`).MatchString(text) {
		t.Fatalf("no case number in the output:\n%s", text)
	}
	if n := strings.Count(text, "[staff] 📋"); n != 1 {
		t.Fatalf("%d case cards, want 1:\n%s", n, text)
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "<b>") || strings.Contains(line, "&lt;") {
			t.Errorf("formatting left in console output: %q", line)
		}
	}
	if !strings.Contains(text, "[1] ") {
		t.Error("no numbered buttons")
	}
	if strings.Count(text, "REDIS_URL") != 1 {
		t.Error("the in-memory note should be said exactly once")
	}
}

func TestConsoleLabelsAndAttachErrors(t *testing.T) {
	var out bytes.Buffer
	in := strings.NewReader("/start\n申请行政诉讼监督\n/attach /no/such/file\n不同意\n")
	if err := run(context.Background(), []string{"petitionbot"}, func(string) string { return "" }, in, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"个人信息告知与同意", "找不到文件：/no/such/file", "我们没有保存您的任何信息"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
