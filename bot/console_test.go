package bot_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
)

// TestConsoleSession runs a whole application through the console: buttons are pressed
// by number and by label (any case, emoji left out), a missing file is refused without
// losing the buttons, an existing file is accepted at the documents step, and the staff
// alert is printed with every line marked "[staff]".
func TestConsoleSession(t *testing.T) {
	h := newHarness(t)
	doc := filepath.Join(t.TempDir(), "judgment.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.4 judgment"), 0o600); err != nil {
		t.Fatal(err)
	}
	script := []string{
		"/start",
		"apply for supervision", // the label "📝 Apply for supervision"
		"1", "1", "1", "1", "1", // consent, transfer abroad, sensitive consent, target, retrial
		"2", "1", // retrial not rejected as late, served by signature
		time.Now().AddDate(0, -1, 0).Format("2006-01-02"),
		"1", // individual
		"Zhang San",
		"1", // resident ID card
		"11010519491231002X",
		"Han",
		"SKIP", // occupation
		"8 Example Road, Bijie, Guizhou",
		"13812345678",
		"1", // myself
		"Qixingguan District Government",
		"Skip", // body address
		"Bijie Intermediate People's Court",
		"（2021）黔05行终123号",
		"2021-10-09",
		"1", // land
		"Please lodge a protest against the judgment.",
		"The town government took my land and never paid; the courts ruled against me.",
		"/attach /no/such/file",
		"/attach " + doc,
		"✅ Done with documents",
		"1", // willing to mediate
		"Submit",
		"/status",
	}
	var out bytes.Buffer
	c := &bot.Console{
		Service: h.svc, Outbox: h.db, Render: h.render,
		Lang: "en-US", StaffLang: dialogs.LangEn, Location: time.UTC,
		In: strings.NewReader(strings.Join(script, "\n") + "\n"), Out: &out,
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	text := out.String()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("console output:\n%s", text)
		}
	})

	plain := func(parts ...dialogs.Text) string {
		s, err := h.render.HTML(dialogs.Message{Lang: dialogs.LangEn, Parts: parts})
		if err != nil {
			t.Fatal(err)
		}
		return bot.Plain(s)
	}
	for name, want := range map[string]string{
		"missing file refused": plain(dialogs.T("console.file_not_found", "Path", "/no/such/file")),
		"file accepted":        plain(dialogs.T("doc.received").N(1)),
		"numbered buttons":     "\n[1] ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%s: output lacks %q", name, want)
		}
	}
	if strings.Contains(text, "<b>") || strings.Contains(text, "&lt;") || strings.Contains(text, "&amp;") {
		t.Error("HTML left in the console output")
	}

	number := regexp.MustCompile(`JC-\d{4}-\d{6}`).FindString(text)
	if number == "" {
		t.Fatal("no case number: the application was not submitted")
	}
	staff := staffBlocks(text)
	if len(staff) != 1 {
		t.Fatalf("%d staff messages, want 1", len(staff))
	}
	for _, line := range staff[0] {
		if !strings.HasPrefix(line, "[staff]") {
			t.Errorf("staff line without the mark: %q", line)
		}
	}
	if !strings.Contains(strings.Join(staff[0], "\n"), number) {
		t.Errorf("the staff alert lacks the case number %s", number)
	}
	if n := strings.Count(text, number); n < 3 { // receipt, staff alert, /status
		t.Errorf("the case number appears %d times, want receipt, alert and status", n)
	}
}

// staffBlocks returns the printed messages that contain a "[staff]" line; messages are
// separated by blank lines, which staff messages never contain (theirs carry the mark).
func staffBlocks(out string) [][]string {
	var blocks [][]string
	for _, msg := range strings.Split(out, "\n\n") {
		if strings.Contains(msg, "[staff]") {
			blocks = append(blocks, strings.Split(strings.Trim(msg, "\n"), "\n"))
		}
	}
	return blocks
}
