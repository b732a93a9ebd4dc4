package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// shutdownGrace is how long sends may continue after SIGTERM.
const shutdownGrace = 20 * time.Second

func afterGrace() <-chan time.Time { return time.After(shutdownGrace) }

// subcommand runs "petitionbot ask …", "petitionbot deadline …", "petitionbot rekey" and
// "petitionbot kb check …".
func subcommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	case "ask":
		return askCmd(ctx, args[1:], getenv, stdout, stderr)
	case "deadline":
		return deadlineCmd(args[1:], getenv, time.Now, stdout, stderr)
	case "rekey":
		return rekeyCmd(ctx, args[1:], getenv, stdout, stderr)
	case "kb":
		if len(args) >= 2 && args[1] == "check" {
			return kbCheckCmd(args[2:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "petitionbot: unknown command %q\n%s\n", args[0], usage)
	return errUsage
}

const usage = `usage:
  petitionbot                      run (Telegram with TELEGRAM_BOT_TOKEN, else a console chat)
  petitionbot ask [--lang zh-Hans|en] [--json] "question"
  petitionbot deadline --route R --from YYYY-MM-DD [--today YYYY-MM-DD] [--lang zh-Hans|en] [--json]
  petitionbot rekey [--max-keys N]   re-encrypt every record under DATA_KEY (REDIS_URL, DATA_KEY, DATA_KEY_PREVIOUS)
  petitionbot kb check [DIR]`
