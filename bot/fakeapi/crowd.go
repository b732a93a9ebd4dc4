package fakeapi

import (
	"slices"
	"strconv"
	"sync"
	"time"
)

// Step is one thing a simulated user does: type Text, press a button with Press as its
// data (under the bot's latest message), or send a photo with file id Photo.
type Step struct{ Text, Press, Photo string }

// Crowd plays many users at once, each in their own private chat: each sends its next
// step as soon as the bot answered the last one (one message per turn), and the time in
// between is the turn's latency. Create it with NewCrowd, pass its Replied to WithOnSent,
// then Start it.
type Crowd struct {
	fake  *Server
	steps []Step
	stop  int // each chat stops after this many steps

	mu     sync.Mutex
	pos    map[int64]int       // next step of each chat
	sentAt map[int64]time.Time // when its last step was sent
	lat    []time.Duration
	left   int
	done   chan struct{}
}

// NewCrowd returns users who each take steps, stopping after stopAt of them (0: all).
func NewCrowd(steps []Step, stopAt int) *Crowd {
	if stopAt <= 0 || stopAt > len(steps) {
		stopAt = len(steps)
	}
	return &Crowd{steps: steps, stop: stopAt, pos: map[int64]int{}, sentAt: map[int64]time.Time{}, done: make(chan struct{})}
}

// Steps is how many steps each user takes.
func (d *Crowd) Steps() int { return d.stop }

// Done is closed once every user took their steps.
func (d *Crowd) Done() <-chan struct{} { return d.done }

// Start makes a user in each of chats (private chats, user id = chat id) send their first
// step on srv.
func (d *Crowd) Start(srv *Server, chats []int64) {
	d.fake = srv
	d.mu.Lock()
	d.left = len(chats)
	for _, c := range chats {
		d.pos[c] = 0
	}
	d.mu.Unlock()
	for _, c := range chats {
		d.send(c, 0)
	}
}

// Replied is WithOnSent's function: the bot sent a message to chat, so that user's turn is
// over and they take their next step (or are done).
func (d *Crowd) Replied(chat int64) {
	d.mu.Lock()
	at, ok := d.sentAt[chat]
	if !ok {
		d.mu.Unlock()
		return // the staff chat, or a second part of one answer
	}
	delete(d.sentAt, chat)
	d.lat = append(d.lat, time.Since(at))
	next := d.pos[chat] + 1
	d.pos[chat] = next
	if next >= d.stop {
		d.left--
		if d.left == 0 {
			close(d.done)
		}
		d.mu.Unlock()
		return
	}
	d.mu.Unlock()
	go d.send(chat, next)
}

func (d *Crowd) send(chat int64, i int) {
	st := d.steps[i]
	d.mu.Lock()
	d.sentAt[chat] = time.Now()
	d.mu.Unlock()
	switch {
	case st.Photo != "":
		d.fake.SendPhoto(chat, chat, st.Photo+"-"+strconv.FormatInt(chat, 10))
	case st.Press != "":
		msg := 0
		if sent := d.fake.Sent(chat); len(sent) > 0 {
			msg = sent[len(sent)-1].MessageID
		}
		d.fake.PressButton(chat, chat, msg, st.Press)
	default:
		d.fake.SendText(chat, chat, st.Text)
	}
}

// Latencies returns the turns' latencies so far, sorted.
func (d *Crowd) Latencies() []time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := slices.Clone(d.lat)
	slices.Sort(l)
	return l
}
