package store

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// A delivery's acknowledgement does not need a round trip of its own: it rides along with
// the next pipeline this process sends anyway — a Load or a Commit of any chat — or, when
// none comes within ackDelay, goes out with the others waiting. Under load an update then
// costs two round trips (load, commit) with its delivery included.

// ackDelay is how long an acknowledgement waits for a pipeline to ride along with.
const ackDelay = 2 * time.Millisecond

// ackReq is one acknowledgement waiting to be sent.
type ackReq struct {
	keys []string
	args []any
	res  chan ackRes
}

type ackRes struct {
	vals []any
	err  error
}

// acks gathers the waiting acknowledgements.
type acks struct {
	mu      sync.Mutex
	pending []*ackReq
	flush   func()
}

// add queues an acknowledgement and returns it; its result arrives on res.
func (a *acks) add(keys []string, args []any) *ackReq {
	r := &ackReq{keys: keys, args: args, res: make(chan ackRes, 1)}
	a.mu.Lock()
	a.pending = append(a.pending, r)
	first := len(a.pending) == 1
	a.mu.Unlock()
	if first {
		time.AfterFunc(ackDelay, a.flush)
	}
	return r
}

// take removes the waiting acknowledgements, for a pipeline to carry.
func (a *acks) take() []*ackReq {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pending
	a.pending = nil
	return p
}

// ride adds reqs to pipe; settle, called after pipe.Exec, hands each its result.
func ride(ctx context.Context, pipe redis.Pipeliner, reqs []*ackReq) (settle func()) {
	cmds := make([]*redis.Cmd, len(reqs))
	for i, r := range reqs {
		cmds[i] = doneScript.EvalSha(ctx, pipe, r.keys, r.args...)
	}
	return func() {
		for i, r := range reqs {
			vals, err := cmds[i].Slice()
			r.res <- ackRes{vals: vals, err: err}
		}
	}
}

// flushAcks sends the acknowledgements no pipeline took, together.
func (db *DB) flushAcks() {
	reqs := db.acks.take()
	if len(reqs) == 0 {
		return
	}
	ctx := context.Background()
	pipe := db.rdb.Pipeline()
	settle := ride(ctx, pipe, reqs)
	_, _ = pipe.Exec(ctx)
	settle()
}

// ack sends an acknowledgement through the gatherer and waits for its result; a script
// the server lost (NOSCRIPT, after a restart) is sent again in full.
func (db *DB) ack(ctx context.Context, keys []string, args []any) ([]any, error) {
	r := db.acks.add(keys, args)
	select {
	case res := <-r.res:
		if isNoScript(res.err) {
			return doneScript.Run(ctx, db.rdb, keys, args...).Slice()
		}
		return res.vals, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}
