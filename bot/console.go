package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/petitionbot/petitionbot/dialogs"
)

// consoleChat is the chat and user id of the one console petitioner.
const consoleChat = 1

// Console runs the engine as a chat on a terminal or pipe: each input line is one
// message, output is plain text. A message's buttons are listed as "[1] label"; typing a
// number or a label presses that button of the latest message. "/attach PATH" sends a
// file. Every line of a staff message starts with "[staff]".
type Console struct {
	Service   *dialogs.Service
	Outbox    dialogs.Outbox
	Render    *Renderer
	Lang      string         // the petitioner's client language; "" for the default
	StaffLang string         // language of staff messages
	Location  *time.Location // times in staff messages
	In        io.Reader
	Out       io.Writer

	buttons []dialogs.Button // the latest message's buttons
	labels  []string
	seq     int
	runID   string
}

// Run reads input until it ends (or ctx does) and returns nil at its end.
func (c *Console) Run(ctx context.Context) error {
	if c.Location == nil {
		c.Location = time.UTC
	}
	c.runID = strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := c.drain(ctx); err != nil {
		return err
	}
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() && ctx.Err() == nil {
		in, ok := c.input(strings.TrimRight(sc.Text(), "\r"))
		if !ok {
			continue
		}
		c.seq++
		res, err := c.Service.Process(ctx, fmt.Sprintf("console:%s:%d", c.runID, c.seq), in)
		if err != nil {
			return err
		}
		for _, b := range res.Batches {
			if err := c.printBatch(ctx, b); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

// input turns a line into an Input; ok is false when the line was answered locally.
func (c *Console) input(line string) (dialogs.Input, bool) {
	in := dialogs.Input{ChatID: consoleChat, UserID: consoleChat, LangCode: c.Lang}
	if path, ok := strings.CutPrefix(line, "/attach "); ok {
		path = strings.TrimSpace(path)
		st, err := os.Stat(path)
		if err != nil || st.IsDir() {
			// A local notice: the latest message's buttons stay pressable.
			text, _ := c.Render.HTML(dialogs.Message{Lang: dialogs.MatchLang(c.Lang, c.StaffLang), Parts: []dialogs.Text{dialogs.T("console.file_not_found", "Path", path)}})
			fmt.Fprintf(c.Out, "%s\n\n", Plain(text))
			return in, false
		}
		in.Kind = dialogs.KindAttachment
		in.Attachment = dialogs.Attachment{FileID: "file:" + path, Name: filepath.Base(path), Type: "document", Size: st.Size()}
		return in, true
	}
	if b, ok := c.pressed(line); ok {
		in.Kind, in.Data = dialogs.KindButton, b.Data
		return in, true
	}
	in.Kind, in.Text = dialogs.KindText, line
	return in, true
}

// pressed matches a number or a label against the latest message's buttons.
func (c *Console) pressed(line string) (dialogs.Button, bool) {
	s := strings.TrimSpace(line)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(c.buttons) {
		return c.buttons[n-1], true
	}
	key := labelKey(s)
	if key == "" {
		return dialogs.Button{}, false
	}
	for i, l := range c.labels {
		if labelKey(l) == key {
			return c.buttons[i], true
		}
	}
	return dialogs.Button{}, false
}

// labelKey reduces a label to its letters and digits, lower-cased, so "⬅️ Back" and
// "back" match.
func labelKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// drain prints whatever waits in the outbox (left by an earlier run), removing it.
func (c *Console) drain(ctx context.Context) error {
	for {
		batches, _, err := c.Outbox.Claim(ctx, 100)
		if err != nil {
			return err
		}
		if len(batches) == 0 {
			return nil
		}
		for _, b := range batches {
			if err := c.printBatch(ctx, b); err != nil {
				return err
			}
		}
	}
}

// printBatch prints a batch's deliveries and acknowledges them, then whatever else waits
// for the same recipient.
func (c *Console) printBatch(ctx context.Context, b dialogs.Batch) error {
	for {
		for _, it := range b.Items {
			c.print(it.To, it.Msg)
		}
		next, more, err := c.Outbox.Done(ctx, b, dialogs.Sent{N: len(b.Items)})
		if err != nil || !more {
			return err
		}
		b = next
	}
}

// print writes a message as plain text, with its buttons numbered from 1. Messages for
// anyone but the console's petitioner are staff messages.
func (c *Console) print(to dialogs.Recipient, m dialogs.Message) {
	staff := to != dialogs.ToChat(consoleChat)
	text, _ := c.Render.HTML(m)
	var b strings.Builder
	b.WriteString(Plain(text))
	if !staff {
		c.buttons, c.labels = nil, nil
	}
	for _, r := range m.Buttons {
		for _, btn := range r {
			label, _ := c.Render.Label(m.Lang, btn.Label)
			if staff { // staff buttons are shown, not pressable here
				fmt.Fprintf(&b, "\n· %s", label)
				continue
			}
			c.buttons = append(c.buttons, btn)
			c.labels = append(c.labels, label)
			fmt.Fprintf(&b, "\n[%d] %s", len(c.buttons), label)
		}
	}
	out := b.String()
	if staff {
		out = "[staff] " + strings.ReplaceAll(out, "\n", "\n[staff] ")
	}
	fmt.Fprintln(c.Out, out)
	fmt.Fprintln(c.Out)
}
