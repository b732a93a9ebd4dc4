package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/dialogs/deadline"
	"github.com/petitionbot/petitionbot/locales"
)

const deadlineUsage = "usage: petitionbot deadline --route R --from YYYY-MM-DD [--today YYYY-MM-DD] [--lang zh-Hans|en] [--json]"

// deadlineCmd runs "petitionbot deadline": the time limit of a supervision route, computed
// by the chat's calculator. A bad command line is one line on stderr and errUsage.
func deadlineCmd(args []string, getenv func(string) string, now func() time.Time, stdout, stderr io.Writer) error {
	fail := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "deadline: "+format+"; "+deadlineUsage+"\n", a...)
		return errUsage
	}
	fl := flag.NewFlagSet("deadline", flag.ContinueOnError)
	fl.SetOutput(io.Discard) // one line of our own instead of the flag package's usage
	routeName := fl.String("route", "", "")
	fromText := fl.String("from", "", "")
	todayText := fl.String("today", "", "")
	lang := fl.String("lang", "zh-Hans", "")
	asJSON := fl.Bool("json", false, "")
	if err := fl.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, deadlineUsage)
		return nil
	} else if err != nil {
		return fail("%v", err)
	}
	if fl.NArg() > 0 {
		return fail("unexpected argument %q", fl.Arg(0))
	}
	route, ok := commandRoute(*routeName)
	if !ok {
		names := make([]string, len(deadline.CommandRoutes))
		for i, r := range deadline.CommandRoutes {
			names[i] = string(r)
		}
		return fail("--route must be one of %s, got %q", strings.Join(names, ", "), *routeName)
	}
	from, err := time.Parse(time.DateOnly, *fromText)
	if err != nil {
		return fail("--from must be a date YYYY-MM-DD, got %q", *fromText)
	}
	if *lang != dialogs.LangZh && *lang != dialogs.LangEn {
		return fail("--lang must be zh-Hans or en, got %q", *lang)
	}
	var today time.Time
	if *todayText != "" {
		if today, err = time.Parse(time.DateOnly, *todayText); err != nil {
			return fail("--today must be a date YYYY-MM-DD, got %q", *todayText)
		}
	} else {
		zone := strings.TrimSpace(getenv("BOT_TIMEZONE"))
		if zone == "" {
			zone = "Asia/Shanghai"
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return fail("BOT_TIMEZONE must be an IANA time zone such as Asia/Shanghai, got %q", zone)
		}
		today = now().In(loc)
	}
	res, err := deadline.Compute(route, from, today)
	if errors.Is(err, deadline.ErrFuture) {
		return fail("--from %s is after today (%s)", *fromText, today.Format(time.DateOnly))
	}
	if err != nil {
		return err
	}
	bundle, err := locales.Bundle()
	if err != nil {
		return err
	}
	render := func(parts []dialogs.Text) (string, error) {
		html, err := bot.NewRenderer(bundle).HTML(dialogs.Message{Lang: *lang, Parts: parts})
		return bot.Plain(html), err
	}
	if !*asJSON {
		text, err := render(dialogs.DeadlineTexts(res))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, text)
		return nil
	}
	basis, err := render(dialogs.DeadlineBasis(res))
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(struct {
		Route      string `json:"route"`
		Deadline   string `json:"deadline"`
		RolledOver bool   `json:"rolled_over"`
		Status     string `json:"status"`
		DaysLeft   int    `json:"days_left"`
		Basis      string `json:"basis"`
	}{string(route), res.Deadline.Format(time.DateOnly), res.RolledOver, res.Status, res.DaysLeft, strings.ReplaceAll(basis, "\n\n", " ")})
}

// commandRoute accepts exactly the routes of the command's contract.
func commandRoute(name string) (deadline.Route, bool) {
	for _, r := range deadline.CommandRoutes {
		if string(r) == name {
			return r, true
		}
	}
	return "", false
}
