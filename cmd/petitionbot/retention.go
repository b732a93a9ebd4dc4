package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/petitionbot/petitionbot/store"
)

// eraseEvery is how often the bot erases the personal data of cases closed longer than
// CASE_RETENTION ago.
const eraseEvery = time.Hour

// eraseBatch is how many cases one step erases.
const eraseBatch = 100

// eraseLoop erases the personal data of the cases closed longer than retention ago: at
// once, then every interval, until ctx ends. What is due waits in Redis (store.EraseClosed),
// so a restart loses nothing and a case is never erased twice; a failed run is logged
// (ids and error only) and tried again at the next one.
func eraseLoop(ctx context.Context, db *store.DB, retention, every time.Duration, log *slog.Logger) {
	for {
		total := 0
		for {
			n, more, err := db.EraseClosed(ctx, time.Now().Add(-retention), eraseBatch)
			total += n
			if err != nil {
				if ctx.Err() == nil {
					log.Warn("erasing the personal data of closed cases failed; trying again later", "err", err)
				}
				break
			}
			if !more || n == 0 {
				break
			}
		}
		if total > 0 {
			log.Info("erased the personal data of closed cases past CASE_RETENTION", "cases", total)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}
