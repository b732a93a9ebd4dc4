package knowledge

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
)

// analyzerFor names the bleve analyser of a language: cjk (width folding, lower case, bigrams of
// Han characters) for Chinese, en (possessives, lower case, stop words, Porter stemming) for
// English.
func analyzerFor(lang string) string {
	if lang == LangEn {
		return en.AnalyzerName
	}
	return cjk.AnalyzerName
}

// newAnalyzers returns the analyser of each language. bleve's analysers are stateless, so one
// value serves concurrent searches.
func newAnalyzers() (map[string]analysis.Analyzer, error) {
	cache := registry.NewCache()
	out := map[string]analysis.Analyzer{}
	for _, lang := range Languages() {
		a, err := cache.AnalyzerNamed(analyzerFor(lang))
		if err != nil {
			return nil, fmt.Errorf("analyser %s: %w", analyzerFor(lang), err)
		}
		out[lang] = a
	}
	return out, nil
}

// analysed is one text cut into terms: its distinct terms in order of first occurrence, how often
// each occurs, and the number of tokens (the field length bleve's scoring uses).
type analysed struct {
	terms  []string
	freq   []int32
	length int
}

// analyse cuts text into terms with a. seen is scratch space, empty on entry and on return.
func analyse(a analysis.Analyzer, text string, seen map[string]int) analysed {
	if text == "" {
		return analysed{}
	}
	tokens := a.Analyze([]byte(text))
	out := analysed{length: len(tokens)}
	if len(tokens) == 0 {
		return out
	}
	defer clear(seen)
	for _, tok := range tokens {
		if i, ok := seen[string(tok.Term)]; ok {
			out.freq[i]++
			continue
		}
		t := string(tok.Term)
		seen[t] = len(out.terms)
		out.terms = append(out.terms, t)
		out.freq = append(out.freq, 1)
	}
	return out
}

// termSetOfText returns the set of terms a produces for text.
func termSetOfText(a analysis.Analyzer, text string) map[string]bool {
	out := map[string]bool{}
	if text == "" {
		return out
	}
	for _, tok := range a.Analyze([]byte(text)) {
		out[string(tok.Term)] = true
	}
	return out
}
