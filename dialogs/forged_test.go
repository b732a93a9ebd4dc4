package dialogs_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/petitionbot/petitionbot/dialogs"
)

// junk is forged callback data: 70 bytes, more than Telegram allows in a button.
var junk = "ZQX" + strings.Repeat("9", 67)

// buttonKinds is every kind of callback data the engine knows, and a few it does not.
var buttonKinds = []string{"m", "d", "f", "n", "e", "r", "c", "w", "l", "p", "k", "y", "o", "s", "g", "q", "zz", ""}

// forgedShapes are the shapes forged data is tried in, for a kind.
func forgedShapes(kind string) []string {
	return []string{
		kind + ":" + junk,
		kind + ":" + junk + ":" + junk,
		kind + ":yes:" + junk,
		kind + ":up:" + junk,
		kind + ":staff:" + junk,
		kind + ":acc:" + junk + ":1",
		kind + ":view:JC-2026-000001:" + junk,
		kind + ":w:" + junk,
	}
}

// TestForgedCallbackNeverEchoed: forged data of every button kind, pressed by a
// petitioner (new, mid-application, with a case), a staff user in private and in the
// group, and a non-staff member of the group: no button the bot sends carries any of it,
// and every button's data fits Telegram's 64 bytes.
func TestForgedCallbackNeverEchoed(t *testing.T) {
	h := newHarness(t, true)
	ctx := context.Background()
	withCase := int64(203)
	h.submitCase(t, withCase, "zh")
	midDraft := int64(204)
	for i, in := range application[:12] {
		in.ChatID, in.UserID = midDraft, midDraft
		res, err := h.svc.Process(ctx, "m"+strconv.Itoa(i), in)
		if err != nil {
			t.Fatal(err)
		}
		h.sent(t, res)
	}
	actors := []struct {
		name string
		in   dialogs.Input
	}{
		{"new petitioner", dialogs.Input{ChatID: 205, UserID: 205}},
		{"mid-application", dialogs.Input{ChatID: midDraft, UserID: midDraft}},
		{"petitioner with a case", dialogs.Input{ChatID: withCase, UserID: withCase}},
		{"staff in private", dialogs.Input{ChatID: staffUser, UserID: staffUser, UserName: "王检察官"}},
		{"staff in the group", dialogs.Input{ChatID: staffGroup, UserID: staffUser, UserName: "王检察官", StaffChat: true}},
		{"non-staff in the group", dialogs.Input{ChatID: staffGroup, UserID: outsider, UserName: "路人", StaffChat: true}},
	}
	n := 0
	for _, a := range actors {
		for _, kind := range buttonKinds {
			for _, data := range forgedShapes(kind) {
				in := a.in
				in.Kind, in.Data = dialogs.KindButton, data
				n++
				res, err := h.svc.Process(ctx, "forged"+strconv.Itoa(n), in)
				if err != nil {
					t.Fatalf("%s presses %q: %v", a.name, data, err)
				}
				for _, b := range h.sent(t, res) {
					for _, it := range b.Items {
						checkButtons(t, a.name+" presses "+data[:min(len(data), 12)]+"…", it.Msg)
					}
				}
			}
		}
	}
}

// checkButtons fails when a button carries forged data or more than 64 bytes.
func checkButtons(t *testing.T, what string, m dialogs.Message) {
	t.Helper()
	for _, r := range m.Buttons {
		for _, b := range r {
			if len(b.Data) > 64 || strings.Contains(b.Data, "ZQX") || strings.Contains(b.Data, "9999999999") {
				t.Errorf("%s: a button carries %q", what, b.Data)
			}
		}
	}
}

// FuzzButtonData presses arbitrary callback data in several conversations: the engine
// never fails or panics, never echoes data over Telegram's limit into a new button, and
// every button it makes fits 64 bytes.
func FuzzButtonData(f *testing.F) {
	for _, kind := range buttonKinds {
		f.Add(kind+":"+junk, uint8(0))
	}
	for _, s := range []string{"m:apply", "f:name:x", "n:back:name", "r:submit", "c:yes:w:JC-2026-000001", "w:JC-2026-000001",
		"k:up:abc", "s:acc:JC-2026-000001:1", "g:reason:x", "q:Q-1", "\xff\xfe", ":::", ""} {
		f.Add(s, uint8(1))
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai)
	engine := dialogs.NewEngine(dialogs.Config{Now: func() time.Time { return now }, Location: shanghai, StaffUserIDs: []int64{7}}, noCases{}, nil)
	f.Fuzz(func(t *testing.T, data string, which uint8) {
		s := &dialogs.Session{}
		in := dialogs.Input{ChatID: 1, UserID: 1, Kind: dialogs.KindButton, Data: data}
		switch which % 5 {
		case 1:
			s = atStep("name")
		case 2:
			s = atStep("review")
		case 3:
			in.ChatID, in.UserID = 7, 7
		case 4:
			in.ChatID, in.UserID, in.StaffChat = -100, 7, true
		}
		fx, err := engine.Handle(context.Background(), s, in)
		if err != nil {
			t.Fatalf("error: %v", err)
		}
		for _, d := range fx.Deliveries {
			for _, r := range d.Msg.Buttons {
				for _, b := range r {
					if len(b.Data) > 64 || (len(data) > 64 && strings.Contains(b.Data, data[len(data)-30:])) {
						t.Fatalf("a button carries %q", b.Data)
					}
				}
			}
		}
	})
}
