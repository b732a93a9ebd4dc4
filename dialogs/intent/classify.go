package intent

import (
	"slices"
)

// factNames are the story facts the lexicon may name (see lexicon.yaml, story.facts).
var factNames = []string{"no_lawsuit", "sued", "first", "second", "retrial", "retrial_applied",
	"no_retrial", "retrial_lost", "court", "lost", "pending", "rejected", "late"}

// kindOrder is the order of Reading.Alternatives.
var kindOrder = []Kind{Apply, Status, Human, Withdraw, Privacy, Language, Question}

// talkOrder decides between two sorts of small talk in one message ("谢谢，再见"): the
// earlier one in this list is answered.
var talkOrder = []Talk{Identity, Goodbye, Thanks, Greeting}

// features is what the matches of one message amount to.
type features struct {
	clear     []*rule // intents said clearly, not negated
	alone     []*rule // intents, small talk and ambiguities that count only alone
	residual  int     // content units outside every intent match
	question  bool
	specific  bool
	narrative bool
	domain    bool

	body, dispute *rule
	facts         map[string]bool // facts that count (needs_court ones only with a court fact)
	strong        bool            // one of them is strong
	rules         []string
}

// Classify reads one petitioner message. It never fails: text that says nothing the
// lexicon knows reads as None. It does no I/O, keeps no state and is deterministic; it
// reads at most the first 600 characters.
func (c *Classifier) Classify(text string) Reading {
	units := c.norm.units(text)
	r := Reading{Kind: None, Written: written(units)}
	if !slices.ContainsFunc(units, func(u string) bool { return !isMark(u) }) {
		return r
	}
	f := c.features(units)
	r = decide(f, r)
	r.Rules = slices.Compact(append(r.Rules, f.rules...))
	return r
}

func (c *Classifier) features(units []string) *features {
	f := &features{facts: map[string]bool{}}
	covered := make([]bool, len(units))
	type fact struct {
		name                      string
		strong, court, needsCourt bool
	}
	var facts []fact
	for _, m := range c.matchAll(units) {
		ru := m.rule
		switch ru.group {
		case groupIntent:
			if m.negated {
				f.rules = append(f.rules, "negated:"+ru.id)
				continue
			}
			for i := m.start; i < m.end; i++ {
				covered[i] = true
			}
			if ru.alone {
				f.alone = append(f.alone, ru)
			} else {
				f.clear = append(f.clear, ru)
			}
		case groupQuestion:
			f.question = true
		case groupSpecific:
			f.specific = true
		case groupNarrative:
			f.narrative = true
		case groupDomain:
			f.domain = true
		case groupBody:
			if f.body == nil || ru.order < f.body.order {
				f.body = ru
			}
		case groupDispute:
			if f.dispute == nil || ru.order < f.dispute.order {
				f.dispute = ru
			}
		case groupFact:
			if m.negated { // "没有去申请再审": the negation is an explicit, strong "no"
				facts = append(facts, fact{name: ru.negated, strong: true})
				f.rules = append(f.rules, "negated:"+ru.id)
				continue
			}
			facts = append(facts, fact{ru.name, ru.strong, ru.court, ru.needsCourt})
		}
	}
	court := slices.ContainsFunc(facts, func(x fact) bool { return x.court })
	for _, x := range facts {
		if x.needsCourt && !court {
			continue
		}
		f.facts[x.name] = true
		f.strong = f.strong || x.strong
	}
	for i, u := range units {
		if !covered[i] && !isMark(u) && !c.fillers[u] {
			f.residual++
		}
	}
	return f
}

// decide turns the features into a reading, in this order: clear intents (a story with a
// strong litigation fact beats a wish to apply or a status phrase), a story, a phrase that
// stands alone, small talk, a domain question, nothing.
func decide(f *features, r Reading) Reading {
	clear := f.clear
	if f.question && f.specific && slices.ContainsFunc(clear, isKind(Apply)) {
		// "我想申请，要交钱吗": answer the question; the application can follow.
		clear = slices.DeleteFunc(slices.Clone(clear), isKind(Apply))
		r.Rules = append(r.Rules, "apply.clear+specific_question")
	}
	var kinds []Kind
	for _, ru := range clear {
		if !slices.Contains(kinds, ru.kind) {
			kinds = append(kinds, ru.kind)
		}
	}
	sit, story := f.situation()
	switch {
	case story && f.strong && !slices.ContainsFunc(kinds, func(k Kind) bool { return k != Apply && k != Status }):
		// A litigation story beats a wish to apply, and a status phrase: "法院一直没消息"
		// is about the court, not about the case the bot holds.
		return storyReading(r, sit, f)
	case len(kinds) == 1:
		return intentReading(r, clear[0])
	case len(kinds) > 1:
		r.Kind, r.Alternatives = Ambiguous, sortKinds(kinds)
		for _, ru := range clear {
			r.Rules = append(r.Rules, ru.id)
		}
		return r
	case story:
		return storyReading(r, sit, f)
	}
	if f.residual == 0 {
		if i := slices.IndexFunc(f.alone, isKind(Ambiguous)); i >= 0 {
			r.Kind, r.Alternatives = Ambiguous, sortKinds(f.alone[i].alternatives)
			r.Rules = append(r.Rules, f.alone[i].id)
			return r
		}
		if i := slices.IndexFunc(f.alone, func(ru *rule) bool { return ru.kind != SmallTalk }); i >= 0 {
			ru := f.alone[i]
			if f.question { // "申请监督？": the intent or a question about it
				r.Kind, r.Alternatives = Ambiguous, sortKinds([]Kind{ru.kind, Question})
				r.Rules = append(r.Rules, ru.id, "cue.question")
				return r
			}
			return intentReading(r, ru)
		}
	}
	if t := talk(f.alone); t != "" && (f.residual == 0 || !f.domain) {
		r.Kind, r.Talk = SmallTalk, t
		r.Rules = append(r.Rules, "smalltalk."+string(t))
		return r
	}
	if f.domain {
		r.Kind = Question
		r.Rules = append(r.Rules, "cue.domain")
	}
	return r
}

func intentReading(r Reading, ru *rule) Reading {
	r.Kind, r.Lang = ru.kind, ru.lang
	r.Rules = append(r.Rules, ru.id)
	return r
}

func storyReading(r Reading, s Situation, f *features) Reading {
	r.Kind, r.Story = Story, &s
	r.Rules = append(r.Rules, "story")
	for _, n := range factNames {
		if f.facts[n] {
			r.Rules = append(r.Rules, "fact."+n)
		}
	}
	return r
}

// situation works out what the story tells, and whether the message is a story at all:
// a strong litigation fact told about one's own case (or with a body, a dispute or a
// second fact), or a dispute or a lawsuit with a body told in the first person.
func (f *features) situation() (Situation, bool) {
	body, dispute := name(f.body), name(f.dispute)
	n := len(f.facts) // facts told, a bare mention of a court aside
	if f.facts["court"] {
		n--
	}
	story := f.strong && (f.narrative || body != "" || dispute != "" || n >= 2) ||
		dispute != "" && f.narrative ||
		n >= 1 && body != "" && f.narrative
	return newSituation(body, dispute, stage(f.facts), f.facts["no_retrial"]), story
}

// stage orders the facts: the furthest stage told wins.
func stage(has map[string]bool) Stage {
	retrial := (has["retrial"] || has["retrial_applied"]) && !has["no_retrial"]
	switch {
	case has["retrial_lost"]:
		return StageRetrialLost
	case retrial && has["rejected"]:
		return StageRetrialRejected
	case retrial && has["late"]:
		return StageRetrialLate
	case retrial && has["pending"]:
		return StageRetrialPending
	case retrial:
		return StageRetrialApplied
	case has["second"] && has["pending"]:
		return StageSecondPending
	case has["lost"] || has["rejected"]:
		switch {
		case has["second"]:
			return StageLostSecond
		case has["first"]:
			return StageLostFirst
		}
		return StageLost
	case has["second"]:
		return StageSecondPending
	case has["pending"]:
		return StageFirstPending
	case has["no_lawsuit"]:
		return StageNoLawsuit
	case has["sued"] || has["first"] || has["court"] || has["late"]:
		return StageSued
	}
	return StageUnknown
}

func name(r *rule) string {
	if r == nil {
		return ""
	}
	return r.name
}

func isKind(k Kind) func(*rule) bool { return func(r *rule) bool { return r.kind == k } }

func sortKinds(ks []Kind) []Kind {
	out := slices.Clone(ks)
	slices.SortStableFunc(out, func(a, b Kind) int { return slices.Index(kindOrder, a) - slices.Index(kindOrder, b) })
	return slices.Compact(out)
}

// talk picks the sort of small talk to answer among the matched rules, or "".
func talk(rules []*rule) Talk {
	for _, t := range talkOrder {
		if slices.ContainsFunc(rules, func(r *rule) bool { return r.kind == SmallTalk && r.talk == t }) {
			return t
		}
	}
	return ""
}
