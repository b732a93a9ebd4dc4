package fakeapi

import (
	"math/rand/v2"
	"strings"
	"time"
)

// Faults makes a share of the requests fail at random, the way Telegram, its front end
// and the network fail. Each faulty request gets one of the kinds of FaultCounts, chosen
// evenly; a request FailNext queued a failure for gets that one instead.
type Faults struct {
	// Rate is the share of requests that fail, 0 to 1.
	Rate float64
	// Seed makes the choice of faulty requests repeatable for a given order of requests.
	Seed uint64
	// Methods lists the methods (case-insensitive) that may fail; empty: all but getMe.
	Methods []string
	// RetryAfter is the retry_after of an injected 429, in seconds; default 1.
	RetryAfter int
	// Slow is how long a slow answer waits before it is written (the request takes effect
	// first); default 1.5s. A client that gives up sooner retries what already happened.
	Slow time.Duration
}

// FaultCounts is how many faults of each kind were injected.
type FaultCounts struct {
	RateLimited   int // 429 with retry_after, before the request takes effect
	ServerError   int // 500 JSON error, before
	ProxyPage     int // 502 nginx HTML page, before
	Slow          int // the request takes effect, then the answer waits Faults.Slow
	DroppedBefore int // the connection is closed before the request takes effect
	DroppedAfter  int // the request takes effect, then the connection is closed unanswered
}

// Total is the number of faults injected.
func (c FaultCounts) Total() int {
	return c.RateLimited + c.ServerError + c.ProxyPage + c.Slow + c.DroppedBefore + c.DroppedAfter
}

// InjectFaults starts random fault injection (a zero Rate stops it). Requests and Calls
// count faulty requests as usual.
func (s *Server) InjectFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.RetryAfter <= 0 {
		f.RetryAfter = 1
	}
	if f.Slow <= 0 {
		f.Slow = 1500 * time.Millisecond
	}
	s.faults = f
	s.faultRand = rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
}

// FaultCounts returns how many faults were injected so far.
func (s *Server) FaultCounts() FaultCounts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultCounts
}

// FailNextAfter makes the next n requests to method take effect and then lose their
// answer: the connection is closed, so the client sees a network error for a request
// Telegram carried out (a retry sends the message twice).
func (s *Server) FailNextAfter(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], failure{after: true})
	}
}

// randomFaultLocked decides whether a request to method fails, and how.
func (s *Server) randomFaultLocked(method string) (failure, bool) {
	f := s.faults
	if f.Rate <= 0 || s.faultRand == nil {
		return failure{}, false
	}
	if len(f.Methods) == 0 && method == "getme" {
		return failure{}, false
	}
	if len(f.Methods) > 0 {
		found := false
		for _, m := range f.Methods {
			found = found || strings.EqualFold(m, method)
		}
		if !found {
			return failure{}, false
		}
	}
	if s.faultRand.Float64() >= f.Rate {
		return failure{}, false
	}
	kinds := 6
	if method == "getupdates" { // a long poll: only the failures before it takes effect
		kinds = 4
	}
	switch k := s.faultRand.IntN(kinds); k {
	case 0:
		s.faultCounts.RateLimited++
		return failure{code: 429, retryAfter: f.RetryAfter}, true
	case 1:
		s.faultCounts.ServerError++
		return failure{code: 500}, true
	case 2:
		s.faultCounts.ProxyPage++
		return failure{code: 502}, true
	case 3:
		s.faultCounts.DroppedBefore++
		return failure{code: 0}, true
	case 4:
		s.faultCounts.Slow++
		return failure{delay: f.Slow}, true
	default:
		s.faultCounts.DroppedAfter++
		return failure{after: true}, true
	}
}
