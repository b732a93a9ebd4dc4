package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// workingRoom is the memory the bot may use beyond what it holds at rest (the knowledge
// base, the language data, its pools) before the garbage collector works harder.
const workingRoom = 24 << 20

// limitMemory sets Go's soft memory limit, unless GOMEMLIMIT is set, to what the process
// holds once started plus workingRoom. The collector otherwise lets the heap grow to twice
// what is live, and under a burst of chats keeps that memory long after; with the limit
// it collects more often near it instead (using more CPU only then), and returns memory
// to the system. It is a soft limit: the bot never fails for it. Called by main once the
// bot started (tests running run in-process keep Go's defaults).
func limitMemory(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	atRest := s[0].Value.Uint64() - s[1].Value.Uint64()
	limit := int64(atRest) + workingRoom
	debug.SetMemoryLimit(limit)
	log.Info("memory limit set (GOMEMLIMIT overrides it)", "at_rest_mib", atRest>>20, "limit_mib", limit>>20)
}
