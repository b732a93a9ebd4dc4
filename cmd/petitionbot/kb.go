package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/petitionbot/petitionbot/bot"
	"github.com/petitionbot/petitionbot/dialogs"
	"github.com/petitionbot/petitionbot/knowledge"
	"github.com/petitionbot/petitionbot/knowledge/llm"
	"github.com/petitionbot/petitionbot/locales"
)

// kbConfig is the knowledge base's part of the environment.
type kbConfig struct {
	Dir           string // KNOWLEDGE_DIR: replaces the embedded entries
	OpenAIKey     string
	OpenAIBaseURL string
	OpenAIModel   string
	OpenAITimeout time.Duration
}

// parseKBConfig reads KNOWLEDGE_DIR and the OPENAI_* variables; one line per problem.
func parseKBConfig(getenv func(string) string) (kbConfig, []string) {
	var problems []string
	c := kbConfig{
		Dir:           strings.TrimSpace(getenv("KNOWLEDGE_DIR")),
		OpenAIKey:     strings.TrimSpace(getenv("OPENAI_API_KEY")),
		OpenAIBaseURL: strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		OpenAIModel:   strings.TrimSpace(getenv("OPENAI_MODEL")),
		OpenAITimeout: llm.DefaultTimeout,
	}
	if c.OpenAIKey != "" && c.OpenAIModel == "" {
		problems = append(problems, "OPENAI_MODEL is required with OPENAI_API_KEY, e.g. gpt-4o-mini")
	}
	if v := strings.TrimSpace(getenv("OPENAI_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			problems = append(problems, fmt.Sprintf("OPENAI_TIMEOUT must be a positive duration such as 15s, got %q", v))
		}
		c.OpenAITimeout = d
	}
	if c.Dir != "" {
		if st, err := os.Stat(c.Dir); err != nil || !st.IsDir() {
			problems = append(problems, fmt.Sprintf("KNOWLEDGE_DIR %q is not a folder", c.Dir))
		}
	}
	return c, problems
}

// provider names who receives typed questions when a language model is configured (the
// model and the server's host), for the privacy notice; "" without one.
func (c kbConfig) provider() string {
	if c.OpenAIKey == "" {
		return ""
	}
	host := "api.openai.com"
	if u, err := url.Parse(c.OpenAIBaseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	return c.OpenAIModel + " (" + host + ")"
}

// baseFS is the knowledge base to use: KNOWLEDGE_DIR, or the embedded one.
func (c kbConfig) baseFS() fs.FS {
	if c.Dir != "" {
		return os.DirFS(c.Dir)
	}
	return knowledge.Embedded()
}

// openKnowledge loads and indexes the base and sets up the optional language model.
func openKnowledge(c kbConfig, log dialogs.KBLog) (*dialogs.Knowledge, *knowledge.Index, error) {
	entries, err := knowledge.Load(c.baseFS())
	if err != nil {
		return nil, nil, err
	}
	ix, err := knowledge.NewIndex(entries)
	if err != nil {
		return nil, nil, fmt.Errorf("index the knowledge base: %w", err)
	}
	kb := &dialogs.Knowledge{Index: ix, Log: log}
	if c.OpenAIKey != "" {
		kb.Composer = llm.New(llm.Config{APIKey: c.OpenAIKey, BaseURL: c.OpenAIBaseURL, Model: c.OpenAIModel, Timeout: c.OpenAITimeout})
	}
	return kb, ix, nil
}

// askCmd runs "petitionbot ask [--lang zh-Hans|en] [--json] QUESTION".
func askCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("ask", flag.ContinueOnError)
	fl.SetOutput(stderr)
	lang := fl.String("lang", "zh-Hans", "language of the answer: zh-Hans or en")
	asJSON := fl.Bool("json", false, "print one JSON object")
	if err := fl.Parse(args); err != nil {
		return errUsage
	}
	question := strings.TrimSpace(strings.Join(fl.Args(), " "))
	if question == "" || (*lang != "zh-Hans" && *lang != "en") {
		fmt.Fprintln(stderr, `usage: petitionbot ask [--lang zh-Hans|en] [--json] "question"`)
		return errUsage
	}
	kc, problems := parseKBConfig(getenv)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "config:", p)
		}
		return errUsage
	}
	kb, ix, err := openKnowledge(kc, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	bundle, err := locales.Bundle()
	if err != nil {
		return err
	}
	engine := dialogs.NewEngine(dialogs.Config{DefaultLang: *lang}, nil, kb)
	reply, err := engine.Ask(ctx, *lang, question)
	if err != nil {
		return err
	}
	html, _ := bot.NewRenderer(bundle).HTML(reply.Message)
	answer := bot.Plain(html)
	if !*asJSON {
		fmt.Fprintln(stdout, answer)
		return nil
	}
	type match struct {
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	}
	out := struct {
		Answered   bool    `json:"answered"`
		OutOfScope bool    `json:"out_of_scope"`
		Matches    []match `json:"matches"`
		Answer     string  `json:"answer"`
	}{Answered: reply.Result.Answered, OutOfScope: reply.Result.OutOfScope, Matches: []match{}, Answer: answer}
	for _, m := range reply.Result.Matches {
		out.Matches = append(out.Matches, match{ID: m.ID, Score: m.Score})
	}
	return json.NewEncoder(stdout).Encode(out)
}

// kbCheckCmd runs "petitionbot kb check [DIR]": one "file: id: problem" line per problem.
func kbCheckCmd(args []string, stdout, stderr io.Writer) error {
	fsys := knowledge.Embedded()
	where := "the embedded knowledge base"
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: petitionbot kb check [DIR]")
		return errUsage
	}
	if len(args) == 1 {
		if st, err := os.Stat(args[0]); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "kb check: %q is not a folder\n", args[0])
			return errUsage
		}
		fsys, where = os.DirFS(args[0]), args[0]
	}
	problems := knowledge.Check(fsys)
	for _, p := range problems {
		fmt.Fprintln(stdout, p.String())
	}
	if len(problems) > 0 {
		return errKBProblems
	}
	entries, err := knowledge.Load(fsys)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d entries, no problems\n", where, len(entries))
	return nil
}

// errKBProblems makes "kb check" exit 1 after printing the problems.
var errKBProblems = errors.New("the knowledge base has problems")
