package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/petitionbot/petitionbot/dialogs"
)

// A chat that sends much faster than anyone types (a stuck client, a script, a paste
// split into many messages) still has every update handled and answered, in order — its
// replies simply come at the chat's rate limit, and other chats, with their own workers
// and send queues, do not wait for it. It is told once per flood, at once, that its
// answers follow one by one.

// floodRate and floodBurst: a private chat may send floodBurst updates at once and then
// floodRate a second before it counts as flooding. A person waits for each reply, and a
// long text pasted into Telegram arrives in at most 16 parts.
const (
	floodRate  = 1
	floodBurst = 30
)

// floods follows how fast each private chat sends.
type floods struct {
	mu        sync.Mutex
	chats     map[int64]*flood
	lastPrune time.Time
}

type flood struct {
	lim  *rate.Limiter
	told bool // told during this flood
}

func newFloods() *floods { return &floods{chats: map[int64]*flood{}} }

// arrived counts an update of chat and reports whether the chat is to be told it is
// flooding: the first time it goes over the limit since it last slowed down.
func (f *floods) arrived(chat int64, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.chats[chat]
	if c == nil {
		c = &flood{lim: rate.NewLimiter(floodRate, floodBurst)}
		f.chats[chat] = c
	}
	if c.lim.TokensAt(now) >= floodBurst/2 {
		c.told = false // it slowed down since
	}
	if now.Sub(f.lastPrune) > time.Minute {
		for id, o := range f.chats {
			if id != chat && o.lim.TokensAt(now) >= floodBurst {
				delete(f.chats, id)
			}
		}
		f.lastPrune = now
	}
	if c.lim.AllowN(now, 1) || c.told {
		return false
	}
	c.told = true
	return true
}

// noteFlood tells a flooding private chat, apart from its queue of replies, that its
// messages are answered one by one.
func (t *Telegram) noteFlood(ctx context.Context, in dialogs.Input) {
	if in.StaffChat || !t.floods.arrived(in.ChatID, time.Now()) {
		return
	}
	t.log.Warn("a chat sends very fast; told to slow down, every message is still answered", "chat", in.ChatID)
	go func() {
		msg := dialogs.Message{Lang: t.langFor(in), Parts: []dialogs.Text{dialogs.T("flood.slow_down")}}
		if _, err := t.deliver(ctx, in.ChatID, msg, 0, nil); err != nil {
			t.log.Warn("could not tell a chat to slow down", "chat", in.ChatID, "code", errCode(err))
		}
	}()
}
