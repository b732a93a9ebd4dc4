// Package llm composes a short answer from retrieved knowledge-base entries with a chat model
// behind an OpenAI-compatible chat-completions API. It is the only package that imports the
// OpenAI client.
//
// The model sees only the entries the retriever found, is told to answer from them alone and to
// cite their ids, and receives the user's text as delimited data. Replies that cite none of the
// entries are rejected with [ErrNoCitation], so the caller can fall back to showing an entry.
package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/petitionbot/petitionbot/knowledge"
	openai "github.com/sashabaranov/go-openai"
)

// DefaultTimeout bounds one call to the API when [Config.Timeout] is zero.
const DefaultTimeout = 15 * time.Second

// temperature is low for faithful answers but never 0: the client omits a zero value, and the
// server would then use its own default (usually 1).
const temperature = 0.05

// ErrNoCitation is returned by [Composer.Answer] when the reply cites none of the retrieved
// entries (including when no entries were given). The reply must then not be shown.
var ErrNoCitation = errors.New("llm: reply cites no retrieved entry")

// Config configures a [Composer].
type Config struct {
	// APIKey authenticates with the API.
	APIKey string
	// BaseURL is the API root including the version, e.g. "https://api.openai.com/v1" (the
	// default when empty) or an OpenAI-compatible server.
	BaseURL string
	// Model names the chat model; required.
	Model string
	// Timeout bounds each call to the API, on top of the caller's context. Zero means
	// DefaultTimeout (15 s).
	Timeout time.Duration
}

// Composer writes answers with a chat model. It is safe for concurrent use.
type Composer struct {
	client  *openai.Client
	model   string
	timeout time.Duration
}

// New returns a Composer for cfg. It does not contact the API.
func New(cfg Config) *Composer {
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = cfg.BaseURL
	}
	oc.HTTPClient = &http.Client{}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Composer{client: openai.NewClientWithConfig(oc), model: cfg.Model, timeout: timeout}
}

// Answer asks the model to answer question, asked in lang ("zh-Hans" or "en"; anything else is
// treated as "zh-Hans"), from the retrieved entries only. It sends the entries' id, title, answer
// and basis in lang, never other entries. text is the reply as returned, citation markers such
// as [apply.deadline] included; cited lists, in order of first appearance and without repeats,
// the ids of retrieved entries the reply cites.
//
// Errors: ErrNoCitation when the reply cites no retrieved entry (text is still returned, for
// logging only); an error wrapping context.DeadlineExceeded when the call takes longer than the
// configured timeout or the ctx deadline; a wrapped API or transport error otherwise.
func (c *Composer) Answer(ctx context.Context, lang, question string, retrieved []knowledge.Entry) (text string, cited []string, err error) {
	if len(retrieved) == 0 {
		return "", nil, ErrNoCitation
	}
	if c.model == "" {
		return "", nil, errors.New("llm: no model configured")
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:       c.model,
		Messages:    messages(lang, question, retrieved),
		Temperature: temperature,
	})
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			return "", nil, fmt.Errorf("llm: chat completion: %w (%w)", ctx.Err(), err)
		}
		return "", nil, fmt.Errorf("llm: chat completion: %w", err)
	}
	if len(resp.Choices) == 0 {
		return "", nil, errors.New("llm: chat completion: reply has no choices")
	}
	text = resp.Choices[0].Message.Content
	cited = citations(text, retrieved)
	if len(cited) == 0 {
		return text, nil, ErrNoCitation
	}
	return text, cited, nil
}
