package knowledge

import (
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed synonyms.yaml
var synonymsYAML []byte

//go:embed scope.yaml
var scopeYAML []byte

// wordList matches words in normalised text: Chinese words as substrings, other words whole.
type wordList struct {
	zh []string        // matched as substrings
	en map[string]bool // matched as whole space-separated words
}

// newWordList builds a wordList from both languages' words, normalising each.
func newWordList(zh, en []string) wordList {
	w := wordList{en: map[string]bool{}}
	for _, s := range zh {
		if s = Normalize(s); s != "" {
			w.zh = append(w.zh, s)
		}
	}
	for _, s := range en {
		if s = Normalize(s); s != "" {
			w.en[s] = true
		}
	}
	return w
}

// any reports whether the normalised text contains one of the words.
func (w wordList) any(norm string) bool {
	for _, s := range w.zh {
		if strings.Contains(norm, s) {
			return true
		}
	}
	for _, f := range strings.Fields(norm) {
		if w.en[f] {
			return true
		}
	}
	return false
}

// synonyms expands a query with the other members of every group one of its words belongs to.
type synonyms struct {
	byLang map[string][][]string // normalised groups per language
}

// parseSynonyms reads synonyms.yaml: a list of word groups per language.
func parseSynonyms(data []byte) (synonyms, error) {
	var raw map[string][][]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return synonyms{}, fmt.Errorf("parse synonyms: %w", err)
	}
	s := synonyms{byLang: map[string][][]string{}}
	for _, lang := range Languages() {
		for _, g := range raw[lang] {
			if g = normalizeAll(g); len(g) > 1 {
				s.byLang[lang] = append(s.byLang[lang], g)
			}
		}
	}
	return s, nil
}

// groups returns the groups of lang.
func (s synonyms) groups(lang string) [][]string { return s.byLang[lang] }

// contains reports whether normalised text contains word w of lang: anywhere for Chinese, as a
// whole word (or run of words) for English.
func (s synonyms) contains(lang, text, w string) bool {
	if lang != LangEn {
		return strings.Contains(text, w)
	}
	return strings.Contains(" "+text+" ", " "+w+" ")
}

// expand returns the words of the groups present in the normalised query that the query does not
// already contain, space-separated, or "" when there are none. Groups of both languages apply.
func (s synonyms) expand(norm string) string {
	var out []string
	seen := map[string]bool{}
	for _, lang := range Languages() {
		for _, g := range s.byLang[lang] {
			present := false
			for _, w := range g {
				if s.contains(lang, norm, w) {
					present = true
					break
				}
			}
			if !present {
				continue
			}
			for _, w := range g {
				if !seen[w] && !s.contains(lang, norm, w) {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	return strings.Join(out, " ")
}

// scope holds the word lists that tell an out-of-domain question.
type scope struct {
	outside wordList // topics the bot does not handle
	topic   wordList // words specific to administrative cases, overriding outside
	domain  wordList // words of the bot's domain at large
}

// parseScope reads scope.yaml.
func parseScope(data []byte) (scope, error) {
	var raw map[string]map[string][]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return scope{}, fmt.Errorf("parse scope: %w", err)
	}
	list := func(key string) wordList { return newWordList(raw[key][LangZh], raw[key][LangEn]) }
	return scope{outside: list("out_of_domain"), topic: list("topic"), domain: list("domain")}, nil
}

// offTopic reports whether the normalised question names a topic the bot does not handle and no
// administrative-case word that would bring it back into scope.
func (s scope) offTopic(norm string) bool { return s.outside.any(norm) && !s.topic.any(norm) }

// foreign reports whether the normalised question is outside the domain: off-topic, or without a
// single domain word.
func (s scope) foreign(norm string) bool { return s.offTopic(norm) || !s.domain.any(norm) }

// functionChars are frequent Chinese function characters: particles, pronouns, question words,
// auxiliaries, negations and measure words. The cjk analyser cuts text into overlapping bigrams,
// so a question yields many bigrams that straddle a word boundary (了怎, 和纪, 院和) or consist of
// generic question words (怎么, 什么); a bigram with one of these characters says little about
// what is asked and weighs less in the confidence measures.
const functionChars = "的了吗呢啊吧么呀嘛是在和与及或有就都也还又才把被给让跟对向从到我你他她它们这那个些哪什怎啥咋要会能可得过着不没很太更最一几多少去来说想该俺咱"

// isFunctionTerm reports whether an analysed term of lang is a Chinese bigram (or character)
// containing a function character. English terms never are: the English analyser drops stop words.
func isFunctionTerm(lang, term string) bool {
	return lang != LangEn && strings.ContainsAny(term, functionChars)
}

// normalizeAll normalises every word and drops the empty ones.
func normalizeAll(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w = Normalize(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}
