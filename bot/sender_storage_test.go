package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/petitionbot/petitionbot/dialogs"
)

// outage is an outbox whose storage fails as the test says, and which counts what the
// sweeper had to take over.
type outage struct {
	dialogs.Outbox

	mu       sync.Mutex
	down     bool           // every call fails
	claimsOK func() bool    // nil: Claim works whenever storage is up
	onFirst  func()         // called at the first Progress (part 1 was just accepted)
	failAcks map[string]int // an acknowledgement's first tries fail: batch head → tries left
	claimed  map[string]int // recipient → batches the sweeper claimed
	injected map[string]int // method → failures injected
	acked    bool           // an acknowledgement succeeded after storage came back
	progress bool           // Progress was called
}

func newOutage(inner dialogs.Outbox) *outage {
	return &outage{Outbox: inner, failAcks: map[string]int{}, claimed: map[string]int{}, injected: map[string]int{}}
}

func (o *outage) fail(method string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down {
		o.injected[method]++
		return true
	}
	return false
}

func (o *outage) setDown(down bool) {
	o.mu.Lock()
	o.down = down
	o.mu.Unlock()
}

func (o *outage) Claim(ctx context.Context, max int) ([]dialogs.Batch, time.Time, error) {
	if o.fail("Claim") || (o.claimsOK != nil && !o.claimsOK()) {
		return nil, time.Time{}, errInjected
	}
	bs, next, err := o.Outbox.Claim(ctx, max)
	o.mu.Lock()
	for _, b := range bs {
		o.claimed[b.To.String()]++
	}
	o.mu.Unlock()
	return bs, next, err
}

func (o *outage) Done(ctx context.Context, b dialogs.Batch, s dialogs.Sent) (dialogs.Batch, bool, error) {
	if o.fail("Done") {
		return dialogs.Batch{}, false, errInjected
	}
	o.mu.Lock()
	key := ""
	if len(b.Items) > 0 {
		key = b.Items[0].ID
	}
	if n, ok := o.failAcks[key]; ok && n > 0 {
		o.failAcks[key] = n - 1
		o.injected["Done"]++
		o.mu.Unlock()
		return dialogs.Batch{}, false, errInjected
	}
	o.mu.Unlock()
	next, more, err := o.Outbox.Done(ctx, b, s)
	if err == nil {
		o.mu.Lock()
		o.acked = true
		o.mu.Unlock()
	}
	return next, more, err
}

func (o *outage) Progress(ctx context.Context, b dialogs.Batch, id string, parts int) error {
	o.mu.Lock()
	first := !o.progress
	o.progress = true
	o.mu.Unlock()
	if first && o.onFirst != nil {
		o.onFirst()
	}
	if o.fail("Progress") {
		return errInjected
	}
	return o.Outbox.Progress(ctx, b, id, parts)
}

func (o *outage) Renew(ctx context.Context, b dialogs.Batch) error {
	if o.fail("Renew") {
		return errInjected
	}
	return o.Outbox.Renew(ctx, b)
}

func (o *outage) count(method string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.injected[method]
}

func (o *outage) claims(to string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.claimed[to]
}

// longReply is a message in several parts, the last with buttons, as the review of a long
// application is.
func longReply() dialogs.Message {
	return dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{
		dialogs.T("review.line", "Value", strings.Repeat("事实与理由。", 1500)).Ref("Label", "label.facts"),
	}, Buttons: [][]dialogs.Button{{{Label: dialogs.T("review.submit"), Data: "r:submit"}}}}
}

// seedMany queues deliveries for chat as one commit whose sender died before sending.
func (h *harness) seedMany(chat int64, msgs ...dialogs.Message) []string {
	h.t.Helper()
	ctx := context.Background()
	var ds []dialogs.Delivery
	var want []string
	for i, m := range msgs {
		ds = append(ds, dialogs.Delivery{ID: "seed/" + string(rune('a'+i)), To: dialogs.ToChat(chat), Msg: m})
		want = append(want, h.rendered(m)...)
	}
	key := dialogs.SessionKey{Chat: chat, User: chat}
	batches, err := h.db.Commit(ctx, key, "seed", 0, dialogs.Effects{Deliveries: ds})
	if err != nil || len(batches) != 1 {
		h.t.Fatalf("seed: %v %v", batches, err)
	}
	if _, _, err := h.db.Done(ctx, batches[0], dialogs.Sent{RetryIn: 1}); err != nil {
		h.t.Fatal(err)
	}
	return want
}

// TestAckFailuresDoNotHoldTheRest: a short message, a long one and the next question wait
// for a chat; every acknowledgement fails twice and recording part 1 fails. Everything is
// sent once, in order, by the sender that claimed it: nothing waits for the next message or
// a sweep.
func TestAckFailuresDoNotHoldTheRest(t *testing.T) {
	const chat = 1701
	h := newHarness(t)
	h.fake.AddChat(chat, "private")
	o := newOutage(h.db)
	h.out = o
	short := dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{dialogs.T("kb.thanks")}}
	next := dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{dialogs.T("ask.phone")},
		Buttons: [][]dialogs.Button{{{Label: dialogs.T("nav.back"), Data: "n:back:phone"}}}}
	want := h.seedMany(chat, short, longReply(), next)
	for _, id := range []string{"seed/a", "seed/b"} {
		o.failAcks[id] = 2
	}
	o.onFirst = func() { o.setDown(true) }
	h.start()
	// Storage comes back once part 1 was recorded, or not (the outage covers that Progress).
	if !h.fake.WaitFor(func() bool { o.mu.Lock(); defer o.mu.Unlock(); return o.progress }, wait) {
		t.Fatal("the long message was not sent")
	}
	o.setDown(false)
	got := h.waitTexts(chat, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if !h.fake.WaitFor(h.outboxEmpty, wait) {
		t.Fatal("the outbox was not emptied")
	}
	if n := h.sendsTo(chat); n != len(want) {
		t.Errorf("%d sends for %d messages: something was sent twice", n, len(want))
	}
	if n := o.claims(dialogs.ToChat(chat).String()); n != 1 {
		t.Errorf("the sweeper claimed the chat %d times, want 1 (the sender that claimed it goes on)", n)
	}
	if o.count("Done") < 4 || o.count("Progress") < 1 {
		t.Errorf("injected %v: the test did not exercise the failures", o.injected)
	}
}

// TestOutageLongerThanTheLease: storage fails right after part 1 of a long reply was
// accepted and stays away longer than the sender's claim. When it is back, the sender's
// acknowledgement takes the expired claim again (nobody else took it): the rest follows at
// once and nothing is sent twice.
func TestOutageLongerThanTheLease(t *testing.T) {
	const chat = 1702
	h := newHarness(t)
	h.fake.AddChat(chat, "private")
	o := newOutage(h.db)
	h.out = o
	// The sweeper stays away until the acknowledgement succeeded: the test is about the
	// acknowledgement, not about who is faster.
	o.claimsOK = func() bool { o.mu.Lock(); defer o.mu.Unlock(); return !o.progress || o.acked }
	o.onFirst = func() { o.setDown(true) }
	next := dialogs.Message{Lang: dialogs.LangZh, Parts: []dialogs.Text{dialogs.T("ask.phone")}}
	want := h.seedMany(chat, longReply(), next)
	h.start()
	if !h.fake.WaitFor(func() bool { return len(h.fake.Sent(chat)) >= len(want) }, wait) {
		t.Fatal("the messages were not sent during the outage")
	}
	// Outlast the lease: wait until it has expired in Redis.
	leaseKey := h.prefix + "{pb}:lease:" + dialogs.ToChat(chat).String()
	if !h.fake.WaitFor(func() bool { n, _ := h.rdb.Exists(context.Background(), leaseKey).Result(); return n == 0 }, wait) {
		t.Fatal("the lease did not expire")
	}
	o.setDown(false)
	if !h.fake.WaitFor(h.outboxEmpty, wait) {
		t.Fatal("the outbox was not emptied after storage came back")
	}
	if diff := cmp.Diff(want, h.texts(chat)); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if h.logs.has("took over") {
		t.Errorf("the sender lost its claim:\n%s", h.logs.String())
	}
	if o.count("Done") == 0 {
		t.Error("no acknowledgement failed: the test did not exercise the outage")
	}
}
