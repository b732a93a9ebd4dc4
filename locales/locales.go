// Package locales holds every user-facing string of petitionbot, one TOML file per
// language (active.zh-Hans.toml, active.en.toml), embedded in the binary. zh-Hans is the
// bundle's default language.
package locales

import (
	"embed"
	"fmt"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var files embed.FS

// Languages are the supported languages, the default first.
var Languages = []string{"zh-Hans", "en"}

// Bundle loads every locale file into a new bundle whose default language is zh-Hans.
func Bundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.Make("zh-Hans"))
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(files, "active."+l+".toml"); err != nil {
			return nil, fmt.Errorf("load locale %s: %w", l, err)
		}
	}
	return b, nil
}

// File returns the raw content of a language's locale file.
func File(lang string) ([]byte, error) { return files.ReadFile("active." + lang + ".toml") }
