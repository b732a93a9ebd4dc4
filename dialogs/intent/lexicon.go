package intent

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed lexicon.yaml
var embeddedLexicon []byte

// defaultClassifier compiles the embedded lexicon once, on first use.
var defaultClassifier = sync.OnceValue(func() *Classifier {
	c, err := Compile(embeddedLexicon)
	if err != nil {
		panic("intent: embedded lexicon.yaml: " + err.Error()) // a test compiles it
	}
	return c
})

// Default returns the classifier built from the embedded lexicon.yaml. It is compiled on
// the first call (a few milliseconds) and shared; it is safe for concurrent use.
func Default() *Classifier { return defaultClassifier() }

// Classify reads one petitioner message with the embedded lexicon: see Classifier.Classify.
func Classify(text string) Reading { return Default().Classify(text) }

// lexicon is the YAML form of lexicon.yaml.
type lexicon struct {
	Normalize struct {
		Traditional []string          `yaml:"traditional"`
		Replace     map[string]string `yaml:"replace"`
		Words       map[string]string `yaml:"words"`
	} `yaml:"normalize"`
	Fillers struct {
		Zh string   `yaml:"zh"`
		En []string `yaml:"en"`
	} `yaml:"fillers"`
	Negators    phrases `yaml:"negators"`
	NotNegators phrases `yaml:"not_negators"`
	Cues        struct {
		Question  phrases `yaml:"question"`
		Specific  phrases `yaml:"specific"`
		Narrative phrases `yaml:"narrative"`
		Domain    phrases `yaml:"domain"`
	} `yaml:"cues"`
	Intents []struct {
		Kind         Kind   `yaml:"kind"`
		When         string `yaml:"when"`
		Negatable    bool   `yaml:"negatable"`
		Lang         string `yaml:"lang"`
		Sub          Talk   `yaml:"sub"`
		Alternatives []Kind `yaml:"alternatives"`
		phrases      `yaml:",inline"`
	} `yaml:"intents"`
	Story struct {
		Bodies   []named `yaml:"bodies"`
		Disputes []named `yaml:"disputes"`
		Facts    []struct {
			ID         string   `yaml:"id"`
			Strong     bool     `yaml:"strong"`
			Court      bool     `yaml:"court"`
			NeedsCourt bool     `yaml:"needs_court"`
			Negated    string   `yaml:"negated"`
			Hides      []string `yaml:"hides"`
			phrases    `yaml:",inline"`
		} `yaml:"facts"`
	} `yaml:"story"`
}

type phrases struct {
	Zh []string `yaml:"zh"`
	En []string `yaml:"en"`
}

type named struct {
	ID      string `yaml:"id"`
	phrases `yaml:",inline"`
}

// group is a family of rules; a match is hidden only by a longer match of its own group.
type group int

const (
	groupIntent group = iota
	groupNeg
	groupQuestion
	groupSpecific
	groupNarrative
	groupDomain
	groupBody
	groupDispute
	groupFact
)

// rule is one line of the lexicon: what a match of one of its phrases means.
type rule struct {
	group group
	id    string // "apply.clear", "cue.question", "body.township", "fact.lost"…

	kind         Kind   // groupIntent
	alone        bool   // groupIntent: acted on only when the message is nothing else
	negatable    bool   // groupIntent, groupFact (a fact with negated)
	lang         string // Language
	talk         Talk   // SmallTalk
	alternatives []Kind // Ambiguous
	notNeg       bool   // groupNeg: a look-alike that is not a negator

	name       string   // groupBody, groupDispute, groupFact: the id
	order      int      // groupBody, groupDispute: rank in the lexicon, lower wins
	strong     bool     // groupFact
	court      bool     // groupFact
	needsCourt bool     // groupFact
	negated    string   // groupFact: the fact it becomes when negated
	hides      []string // groupFact
}

var validKinds = []Kind{Apply, Status, Human, Withdraw, Privacy, Language, Question, SmallTalk, Ambiguous}

// Compile builds a classifier from a lexicon in the format of the embedded lexicon.yaml
// (see that file and the package documentation). It reports every problem it finds:
// unknown kinds or fact names, phrases that normalisation would change (and so could never
// match), phrases that are empty or badly formed, or listed twice in one group.
func Compile(data []byte) (*Classifier, error) {
	var lx lexicon
	if err := yaml.Unmarshal(data, &lx); err != nil {
		return nil, fmt.Errorf("intent: lexicon: %w", err)
	}
	c := &Classifier{index: map[string][]*pattern{}}
	var errs []error
	c.norm, errs = newNormalizer(lx.Normalize.Traditional, lx.Normalize.Replace, lx.Normalize.Words)
	c.fillers = map[string]bool{}
	for _, r := range lx.Fillers.Zh {
		c.fillers[string(r)] = true
	}
	for _, w := range lx.Fillers.En {
		c.fillers[w] = true
	}
	seen := map[group]map[string]*rule{}
	add := func(r *rule, ps phrases) {
		cue := r.group >= groupNeg && r.group <= groupDomain // cue lists may be empty
		if !cue && len(ps.Zh)+len(ps.En) == 0 {
			errs = append(errs, fmt.Errorf("%s: no phrases", r.id))
		}
		if seen[r.group] == nil {
			seen[r.group] = map[string]*rule{}
		}
		for li, list := range [][]string{ps.Zh, ps.En} {
			for i, p := range list {
				prev := seen[r.group][p]
				switch {
				case slices.Contains(list[:i], p):
					errs = append(errs, fmt.Errorf("%s: %q listed twice", r.id, p))
				case prev == r && li == 1:
					// in both languages' lists ("?", "12309")
				case prev != nil:
					errs = append(errs, fmt.Errorf("%s: %q is also in %s", r.id, p, prev.id))
				default:
					seen[r.group][p] = r
					if err := c.addPhrase(p, r); err != nil {
						errs = append(errs, fmt.Errorf("%s: %w", r.id, err))
					}
				}
			}
		}
	}
	add(&rule{group: groupNeg, id: "cue.negator"}, lx.Negators)
	add(&rule{group: groupNeg, id: "cue.not_negator", notNeg: true}, lx.NotNegators)
	add(&rule{group: groupQuestion, id: "cue.question"}, lx.Cues.Question)
	add(&rule{group: groupSpecific, id: "cue.specific"}, lx.Cues.Specific)
	add(&rule{group: groupNarrative, id: "cue.narrative"}, lx.Cues.Narrative)
	add(&rule{group: groupDomain, id: "cue.domain"}, lx.Cues.Domain)

	for _, in := range lx.Intents {
		r := &rule{group: groupIntent, kind: in.Kind, negatable: in.Negatable, lang: in.Lang, talk: in.Sub,
			alternatives: in.Alternatives, alone: in.When == "alone"}
		r.id = string(in.Kind) + "." + in.When
		switch {
		case !slices.Contains(validKinds, in.Kind) || in.Kind == Question:
			errs = append(errs, fmt.Errorf("intent kind %q: unknown", in.Kind))
		case in.Kind == SmallTalk:
			r.id, r.alone = "smalltalk."+string(in.Sub), true
			if !slices.Contains([]Talk{Greeting, Thanks, Goodbye, Identity}, in.Sub) {
				errs = append(errs, fmt.Errorf("smalltalk sub %q: unknown", in.Sub))
			}
		case in.Kind == Ambiguous:
			r.id, r.alone = "ambiguous."+joinKinds(in.Alternatives), true
			if len(in.Alternatives) < 2 {
				errs = append(errs, fmt.Errorf("%s: needs two alternatives", r.id))
			}
			for _, k := range in.Alternatives {
				if !slices.Contains(validKinds, k) || k == SmallTalk || k == Ambiguous {
					errs = append(errs, fmt.Errorf("%s: alternative %q: unknown", r.id, k))
				}
			}
		case in.When != "clear" && in.When != "alone":
			errs = append(errs, fmt.Errorf("%s: when must be clear or alone", r.id))
		case in.Kind == Language && in.Lang != LangZh && in.Lang != LangEn:
			errs = append(errs, fmt.Errorf("%s: lang %q: want %s or %s", r.id, in.Lang, LangZh, LangEn))
		}
		if in.Kind == Language {
			r.id += "." + in.Lang
		}
		add(r, in.phrases)
	}
	for i, b := range lx.Story.Bodies {
		add(&rule{group: groupBody, id: "body." + b.ID, name: b.ID, order: i}, b.phrases)
	}
	for i, d := range lx.Story.Disputes {
		add(&rule{group: groupDispute, id: "dispute." + d.ID, name: d.ID, order: i}, d.phrases)
	}
	for _, f := range lx.Story.Facts {
		if !slices.Contains(factNames, f.ID) {
			errs = append(errs, fmt.Errorf("fact %q: unknown", f.ID))
		}
		for _, n := range append(slices.Clone(f.Hides), f.Negated) {
			if n != "" && !slices.Contains(factNames, n) {
				errs = append(errs, fmt.Errorf("fact %s: names unknown fact %q", f.ID, n))
			}
		}
		add(&rule{group: groupFact, id: "fact." + f.ID, name: f.ID, strong: f.Strong, court: f.Court,
			needsCourt: f.NeedsCourt, negated: f.Negated, negatable: f.Negated != "", hides: f.Hides}, f.phrases)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("intent: lexicon: %w", err)
	}
	return c, nil
}

func joinKinds(ks []Kind) string {
	s := ""
	for i, k := range ks {
		if i > 0 {
			s += "_"
		}
		s += string(k)
	}
	return s
}
