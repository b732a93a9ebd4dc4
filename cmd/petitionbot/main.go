// Command petitionbot runs the procuratorate's supervision-application assistant: on
// Telegram when TELEGRAM_BOT_TOKEN is set, otherwise as a console chat on stdin/stdout.
// See README.md for the configuration and the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones inside a static image

	"github.com/redis/go-redis/v9"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/locales"
	"github.com/petitionbot/petitionbot/store"
)

// afterStart runs once the bot is started on Telegram; main sets it to limitMemory.
var afterStart = func(*slog.Logger) {}

// errUsage marks a bad command line or configuration: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	afterStart = limitMemory
	// go-redis prints its own lines (reconnects during an outage) to stderr unstructured:
	// route them into the log. It is process-wide, so it is set here, not in run.
	redis.SetLogger(store.RedisLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	err := run(ctx, os.Args, getenv, os.Stdin, os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errKBProblems), errors.Is(err, errRekeyIncomplete):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "petitionbot:", err)
		os.Exit(1)
	}
}

// getenv is os.Getenv, except that STAFF_DIGEST_AT set to the empty string reads "off"
// (unset, it has its default).
func getenv(name string) string {
	v, ok := os.LookupEnv(name)
	if name == "STAFF_DIGEST_AT" && ok && strings.TrimSpace(v) == "" {
		return "off"
	}
	return v
}

// run is the whole program, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 1 {
		return subcommand(ctx, args[1:], getenv, stdout, stderr)
	}
	cfg, problems := parseConfig(getenv)
	kc, kbProblems := parseKBConfig(getenv)
	problems = append(problems, kbProblems...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "config:", p)
		}
		return errUsage
	}
	level := slog.LevelInfo
	if cfg.Token == "" {
		level = slog.LevelWarn // the console's output is the conversation
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	bundle, err := locales.Bundle()
	if err != nil {
		return err
	}
	render := bot.NewRenderer(bundle)
	rdb, closeRedis, err := openRedis(ctx, cfg, log, stderr)
	if errors.Is(err, errStopped) {
		return nil
	}
	if err != nil {
		return err
	}
	defer closeRedis()
	stats := &runStats{}
	if path := getenv("PETITIONBOT_STATS_FILE"); path != "" {
		rdb.AddHook(stats)
		defer func() {
			if err := stats.write(path); err != nil {
				log.Error("writing the stats file failed", "err", err)
			}
		}()
	}

	keys, err := cfg.keyring()
	if err != nil {
		fmt.Fprintln(stderr, "config:", err)
		return errUsage
	}
	db := store.New(rdb, store.Options{Prefix: cfg.RedisPrefix, SessionTTL: cfg.DraftTTL, CasePrefix: cfg.CasePrefix,
		Keys: keys, Retention: cfg.Retention, Lease: cfg.OutboxLease, JobLease: cfg.JobLease})
	kb, ix, err := openKnowledge(kc, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	engine := dialogs.NewEngine(dialogs.Config{
		Location:      cfg.Location,
		DefaultLang:   cfg.DefaultLang,
		DraftTTL:      cfg.DraftTTL,
		CaseRetention: cfg.Retention,
		Procuratorate: dialogs.Procuratorate{Name: cfg.ProcName, Address: cfg.ProcAddress, Phone: cfg.ProcPhone},
		StaffUserIDs:  cfg.StaffUserIDs,
		LLMProvider:   kc.provider(),
		Followup: dialogs.Followup{Offsets: cfg.FollowupOffsets, Hours: cfg.FollowupHours, Reminder: cfg.FollowupReminder,
			ReviewWarnDays: cfg.ReviewWarnDays, DigestAt: cfg.DigestAt},
	}, db, kb)
	svc := &dialogs.Service{Engine: engine, Store: db}

	if cfg.Token == "" {
		var notes []dialogs.Text
		if cfg.RedisURL == "" {
			notes = append(notes, dialogs.T("console.no_persist"))
		}
		if keys == nil {
			notes = append(notes, dialogs.T("console.no_key").Line())
		}
		if len(notes) > 0 {
			note, _ := render.HTML(dialogs.Message{Lang: cfg.DefaultLang, Parts: notes})
			fmt.Fprintln(stdout, bot.Plain(note))
			fmt.Fprintln(stdout)
		}
		c := &bot.Console{Service: svc, Outbox: db, Render: render,
			StaffLang: cfg.DefaultLang, Location: cfg.Location, In: stdin, Out: stdout}
		return c.Run(ctx)
	}
	if cfg.RedisURL == "" {
		log.Warn("REDIS_URL is not set: using an in-memory store, nothing survives a restart")
	}
	// Sends outlive polling by a grace period so that the updates in hand finish.
	sendCtx, cancelSend := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelSend()
	tg, err := startTelegram(ctx, log, cfg.Token, func() (*bot.Telegram, error) {
		return bot.NewTelegram(sendCtx, bot.TelegramConfig{
			Token: cfg.Token, APIEndpoint: cfg.APIEndpoint, StaffChatID: cfg.StaffChatID, StaffUserIDs: cfg.StaffUserIDs,
			StaffLang: cfg.DefaultLang, Location: cfg.Location,
			PerChatRate: cfg.ChatRate, GlobalRate: cfg.GlobalRate, GroupPerMin: cfg.GroupRate, NoPoll: !cfg.Poll,
			Lease: cfg.OutboxLease, SweepEvery: cfg.OutboxSweep,
			Observe: stats.observe,
		}, svc, db, db, render, log)
	})
	if errors.Is(err, errStopped) {
		return nil
	}
	if err != nil {
		return err
	}
	tg.SetTimers(bot.Timers{Jobs: db, Fire: db.FirePacer(cfg.FollowupRate, bot.SlotTolerance), Send: db.Pacer(cfg.FollowupRate, bot.SlotTolerance), Digest: engine.DigestJob})
	log.Info("petitionbot started on Telegram", "staff_chat", cfg.StaffChatID)
	afterStart(log)
	go eraseLoop(ctx, db, cfg.Retention, eraseEvery, log)
	go func() {
		<-ctx.Done()
		// Give the updates in hand time to finish, then cut the sends.
		<-afterGrace()
		cancelSend()
	}()
	err = tg.Run(ctx, sendCtx)
	log.Info("petitionbot stopped")
	return err
}

// redactToken is err's text without the token.
func redactToken(err error, token string) string {
	if token == "" {
		return err.Error()
	}
	return strings.ReplaceAll(err.Error(), token, "<token>")
}
