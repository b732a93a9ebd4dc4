package bot

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/petitionbot/petitionbot/dialogs"
)

// Renderer turns dialogs.Messages into text using the locale bundle. It is safe for
// concurrent use.
type Renderer struct {
	bundle     *i18n.Bundle
	localizers sync.Map // language → *i18n.Localizer, made once (parsing the tags is not free)
	plain      sync.Map // fixedText → rendered text, for texts without arguments
}

// fixedText names a text that has no arguments: it always renders the same.
type fixedText struct {
	lang, key string
	escape    bool
}

// NewRenderer returns a renderer over a loaded bundle.
func NewRenderer(b *i18n.Bundle) *Renderer { return &Renderer{bundle: b} }

func (r *Renderer) localizer(lang string) *i18n.Localizer {
	if l, ok := r.localizers.Load(lang); ok {
		return l.(*i18n.Localizer)
	}
	l, _ := r.localizers.LoadOrStore(lang, i18n.NewLocalizer(r.bundle, lang))
	return l.(*i18n.Localizer)
}

// escapeHTML escapes the three characters Telegram's HTML parse mode needs escaped.
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

// HTML renders a message as Telegram HTML: parts joined by blank lines, every argument
// escaped. An error names a missing message; the text returned is then still usable
// (go-i18n falls back to the default language, else the key).
func (r *Renderer) HTML(m dialogs.Message) (string, error) {
	var b strings.Builder
	var firstErr error
	for i, p := range m.Parts {
		switch {
		case i > 0 && p.Tight:
			b.WriteString("\n")
		case i > 0:
			b.WriteString("\n\n")
		}
		s, err := r.text(m.Lang, p, true)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		b.WriteString(s)
	}
	return b.String(), firstErr
}

// Label renders a button label as plain text.
func (r *Renderer) Label(lang string, t dialogs.Text) (string, error) {
	return r.text(lang, t, false)
}

func (r *Renderer) text(lang string, t dialogs.Text, escape bool) (string, error) {
	if len(t.Args) == 0 && len(t.Refs) == 0 && t.Count == nil {
		k := fixedText{lang, t.Key, escape}
		if s, ok := r.plain.Load(k); ok {
			return s.(string), nil
		}
		s, err := r.render(lang, t, escape)
		if err == nil {
			r.plain.Store(k, s)
		}
		return s, err
	}
	return r.render(lang, t, escape)
}

func (r *Renderer) render(lang string, t dialogs.Text, escape bool) (string, error) {
	data := make(map[string]any, len(t.Args)+len(t.Refs))
	for k, v := range t.Args {
		if escape {
			v = escapeHTML(v)
		}
		data[k] = v
	}
	loc := r.localizer(lang)
	var firstErr error
	for k, key := range t.Refs {
		s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key})
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("message %q: %w", key, err)
		}
		if s == "" {
			s = key
		}
		data[k] = s
	}
	cfg := &i18n.LocalizeConfig{MessageID: t.Key, TemplateData: data}
	if t.Count != nil {
		cfg.PluralCount = *t.Count
	}
	s, err := loc.Localize(cfg)
	if err != nil && firstErr == nil {
		firstErr = fmt.Errorf("message %q: %w", t.Key, err)
	}
	if s == "" {
		s = t.Key
	}
	return s, firstErr
}

var tag = regexp.MustCompile(`<[^>]*>`)

// Plain turns rendered HTML into plain text: tags removed, entities decoded.
func Plain(htmlText string) string {
	return html.UnescapeString(tag.ReplaceAllString(htmlText, ""))
}
