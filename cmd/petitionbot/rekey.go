package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/petitionbot/petitionbot/store"
)

// errRekeyIncomplete: rekey ended with values left to convert (in use, or no key reads
// them): exit status 1, run again.
var errRekeyIncomplete = errors.New("rekey incomplete")

// rekeyCmd runs "petitionbot rekey [--max-keys N]": every record re-encrypted under
// DATA_KEY, from the cursor a stopped run left. It prints one summary line.
func rekeyCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rekey", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	maxKeys := fs.Int("max-keys", 0, "stop after about this many keys (the next run goes on)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *maxKeys < 0 {
		fmt.Fprintln(stderr, "petitionbot rekey: usage: petitionbot rekey [--max-keys N]")
		return errUsage
	}
	cfg, problems := parseConfig(getenv)
	if cfg.RedisURL == "" {
		problems = append(problems, "rekey needs REDIS_URL: the store whose records to re-encrypt")
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "config:", p)
		}
		return errUsage
	}
	keys, err := cfg.keyring()
	if err != nil {
		fmt.Fprintln(stderr, "config:", err)
		return errUsage
	}
	rdb, err := store.Connect(ctx, cfg.RedisURL)
	if err != nil {
		return err
	}
	defer rdb.Close()
	db := store.New(rdb, store.Options{Prefix: cfg.RedisPrefix, SessionTTL: cfg.DraftTTL, Keys: keys, Retention: cfg.Retention})
	opt := store.RekeyOptions{MaxKeys: *maxKeys}
	if *maxKeys > 0 && *maxKeys < 200 {
		opt.Batch = *maxKeys // a SCAN step of about that many keys, so that the limit holds
	}
	st, err := db.Rekey(ctx, opt)
	state := "done"
	switch {
	case err != nil:
		state = "interrupted"
	case !st.Done:
		state = "stopped (run again to go on)"
	case st.Busy > 0 || st.Failed > 0:
		state = "done, with values left (run again)"
	}
	resumed := ""
	if st.Resumed {
		resumed = ", resumed"
	}
	fmt.Fprintf(stdout, "rekey %s%s: %d keys, %d values re-encrypted under key %s, %d already were, %d in use, %d no key decrypts\n",
		state, resumed, st.Keys, st.Rewritten, keys.ID(), st.Current, st.Busy, st.Failed)
	if err != nil {
		return err
	}
	if !st.Done || st.Busy > 0 || st.Failed > 0 {
		return errRekeyIncomplete
	}
	return nil
}
