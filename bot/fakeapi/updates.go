package fakeapi

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// getUpdates follows the real semantics:
//   - offset > 0 confirms (forgets) every update with update_id < offset; only updates with
//     update_id >= offset are returned;
//   - offset < 0 forgets all but the last -offset updates;
//   - limit outside 1..100 (or absent) means 100;
//   - with nothing to return, it waits up to `timeout` seconds (capped by the max poll wait)
//     for an update, returning early if the client goes away or the server closes;
//   - a waiting call is ended with 409 Conflict when another getUpdates arrives.
func (s *Server) getUpdates(ctx context.Context, p url.Values) (any, *apiError) {
	offset, err1 := intParam(p, "offset")
	limit, err2 := intParam(p, "limit")
	timeout, err3 := intParam(p, "timeout")
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, badRequest("wrong parameter in getUpdates request")
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	wait := min(time.Duration(max(timeout, 0))*time.Second, s.cfg.maxPollWait)
	deadline := time.NewTimer(max(wait, 0))
	defer deadline.Stop()

	s.mu.Lock()
	s.pollGen++
	gen := s.pollGen
	s.confirmLocked(offset)
	s.notifyLocked() // wakes an older poll, which then answers 409
	expired := wait <= 0
	for {
		if s.pollGen != gen {
			s.mu.Unlock()
			return nil, errConflict
		}
		out := make([]wireUpdate, 0, limit)
		for _, u := range s.updates {
			if len(out) == limit {
				break
			}
			if u.UpdateID >= offset {
				out = append(out, u)
			}
		}
		if len(out) > 0 || expired {
			s.handedOut += len(out)
			s.mu.Unlock()
			return out, nil
		}
		s.polling++
		s.notifyLocked()
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			expired = true
		case <-ctx.Done():
		case <-s.done:
		}
		s.mu.Lock()
		s.polling--
		if isClosed(s.done) || ctx.Err() != nil {
			s.notifyLocked()
			s.mu.Unlock()
			if ctx.Err() != nil {
				return nil, nil // nobody to answer
			}
			return []wireUpdate{}, nil
		}
	}
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Polling reports whether a getUpdates call is waiting for updates right now. Tests use it to
// know the bot has caught up: WaitFor(srv.Polling, time.Second).
func (s *Server) Polling() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling > 0
}

// confirmLocked forgets the updates an offset confirms.
func (s *Server) confirmLocked(offset int) {
	keep := s.updates[:0]
	switch {
	case offset > 0:
		for _, u := range s.updates {
			if u.UpdateID < offset {
				s.confirmed = max(s.confirmed, u.UpdateID)
				continue
			}
			keep = append(keep, u)
		}
	case offset < 0 && -offset < len(s.updates):
		drop := len(s.updates) + offset
		for _, u := range s.updates[:drop] {
			s.confirmed = max(s.confirmed, u.UpdateID)
		}
		keep = append(keep, s.updates[drop:]...)
	default:
		return
	}
	clear(s.updates[len(keep):])
	s.updates = keep
}

// enqueueLocked assigns the next update_id to u, queues it and returns the id.
func (s *Server) enqueueLocked(u wireUpdate) int {
	s.nextUpdateID++
	u.UpdateID = s.nextUpdateID
	s.updates = append(s.updates, u)
	s.notifyLocked()
	return u.UpdateID
}

// Confirmed returns the highest update_id the bot has confirmed by calling getUpdates with a
// higher offset (0 if none). Use it to wait until the bot is done with an update:
//
//	id := srv.SendText(1, 1, "hi")
//	srv.WaitFor(func() bool { return srv.Confirmed() >= id }, time.Second)
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Pending returns how many updates are not yet confirmed, whether or not getUpdates has
// already returned them.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// intParam reads an optional integer parameter; absent or empty is 0.
func intParam(p url.Values, name string) (int, error) {
	v := p.Get(name)
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}
