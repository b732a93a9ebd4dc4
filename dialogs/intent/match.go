package intent

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Limits of the phrase syntax.
const (
	maxGap       = 6 // units a `~` may stand for
	negateWindow = 5 // units allowed between a negator and the phrase it negates
)

// Classifier reads petitioner messages with one compiled lexicon. It holds no mutable
// state: one Classifier is safe for concurrent use.
type Classifier struct {
	norm    *normalizer
	fillers map[string]bool
	index   map[string][]*pattern // by first unit
	prefix  []*pattern            // patterns whose first unit is a prefix (`word*`)
}

// pattern is one compiled phrase.
type pattern struct {
	units []punit
	rule  *rule
}

type punit struct {
	s      string
	prefix bool // `word*`
	gap    bool // `~`
}

// match is one occurrence of a pattern: units [start, end).
type match struct {
	start, end int
	rule       *rule
	negated    bool
}

// addPhrase compiles a phrase of rule r and indexes it by its first unit.
func (c *Classifier) addPhrase(phrase string, r *rule) error {
	p, err := c.compilePhrase(phrase, r)
	if err != nil {
		return err
	}
	if p.units[0].prefix {
		c.prefix = append(c.prefix, p)
	} else {
		c.index[p.units[0].s] = append(c.index[p.units[0].s], p)
	}
	return nil
}

// compilePhrase parses one phrase of the lexicon and checks that a message could match it.
func (c *Classifier) compilePhrase(p string, r *rule) (*pattern, error) {
	noMarks := func(us []string) string {
		return strings.Join(slices.DeleteFunc(us, isMark), " ")
	}
	if got, want := noMarks(c.norm.units(strings.NewReplacer("~", " ", "*", "").Replace(p))), noMarks(plainUnits(p)); got != want {
		return nil, fmt.Errorf("phrase %q is not in normalised form (reads as %q)", p, got)
	}
	pt := &pattern{rule: r}
	var word strings.Builder
	flush := func(prefix bool) {
		if word.Len() > 0 {
			pt.units = append(pt.units, punit{s: word.String(), prefix: prefix})
			word.Reset()
		}
	}
	for _, ch := range p {
		switch {
		case unicode.Is(unicode.Han, ch):
			flush(false)
			pt.units = append(pt.units, punit{s: string(ch)})
		case ch == '~':
			flush(false)
			pt.units = append(pt.units, punit{gap: true})
		case ch == '*':
			if word.Len() == 0 {
				return nil, fmt.Errorf("phrase %q: * must end a word", p)
			}
			flush(true)
		case ch == '?':
			flush(false)
			pt.units = append(pt.units, punit{s: unitQuestion})
		case ch == ' ':
			flush(false)
		default:
			word.WriteRune(ch)
		}
	}
	flush(false)
	switch {
	case len(pt.units) == 0:
		return nil, fmt.Errorf("phrase %q is empty", p)
	case pt.units[0].gap || pt.units[len(pt.units)-1].gap:
		return nil, fmt.Errorf("phrase %q: ~ must stand between words", p)
	}
	for i := 1; i < len(pt.units); i++ {
		if pt.units[i].gap && pt.units[i-1].gap {
			return nil, fmt.Errorf("phrase %q: two ~ in a row", p)
		}
	}
	return pt, nil
}

// plainUnits cuts a phrase the way the pattern parser does, without its syntax, so that
// compilePhrase can compare it with what normalisation makes of it.
func plainUnits(p string) []string {
	var out []string
	for _, f := range strings.Fields(strings.NewReplacer("~", " ", "*", "").Replace(p)) {
		var w strings.Builder
		for _, ch := range f {
			if unicode.Is(unicode.Han, ch) || ch == '?' {
				if w.Len() > 0 {
					out = append(out, w.String())
					w.Reset()
				}
				out = append(out, string(ch))
				continue
			}
			w.WriteRune(ch)
		}
		if w.Len() > 0 {
			out = append(out, w.String())
		}
	}
	return out
}

// matchAll finds every occurrence of every pattern, hides the matches contained in a
// longer one of their group, and marks the negated ones.
func (c *Classifier) matchAll(units []string) []match {
	var ms []match
	for i, u := range units {
		if isMark(u) && u != unitQuestion {
			continue
		}
		for _, p := range c.index[u] {
			if end, ok := matchAt(p.units, units, i); ok {
				ms = append(ms, match{start: i, end: end, rule: p.rule})
			}
		}
		for _, p := range c.prefix {
			if end, ok := matchAt(p.units, units, i); ok {
				ms = append(ms, match{start: i, end: end, rule: p.rule})
			}
		}
	}
	ms = suppress(ms)
	negate(ms, units)
	return ms
}

// matchAt matches pattern units ps against units from position i and returns the end of
// the shortest match.
func matchAt(ps []punit, units []string, i int) (int, bool) {
	if len(ps) == 0 {
		return i, true
	}
	p := ps[0]
	if p.gap {
		for j := i; j <= i+maxGap && j <= len(units); j++ {
			if end, ok := matchAt(ps[1:], units, j); ok {
				return end, true
			}
			if j < len(units) && isMark(units[j]) {
				break
			}
		}
		return 0, false
	}
	if i >= len(units) {
		return 0, false
	}
	u := units[i]
	if u == p.s || (p.prefix && !isMark(u) && strings.HasPrefix(u, p.s)) {
		return matchAt(ps[1:], units, i+1)
	}
	return 0, false
}

// suppress drops every match that lies inside a longer match of the same group. Among
// facts, only the same fact or one the longer fact hides is dropped.
func suppress(ms []match) []match {
	order := slices.Clone(ms)
	slices.SortStableFunc(order, func(a, b match) int { return (b.end - b.start) - (a.end - a.start) })
	var kept []match
	for _, m := range order {
		hidden := slices.ContainsFunc(kept, func(k match) bool {
			if k.rule.group != m.rule.group || k.end-k.start <= m.end-m.start || k.start > m.start || k.end < m.end {
				return false
			}
			return m.rule.group != groupFact || k.rule.name == m.rule.name || slices.Contains(k.rule.hides, m.rule.name)
		})
		if !hidden {
			kept = append(kept, m)
		}
	}
	slices.SortStableFunc(kept, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	return kept
}

// negate marks the negatable matches that a negator precedes closely in the same clause.
func negate(ms []match, units []string) {
	for i := range ms {
		m := &ms[i]
		if !m.rule.negatable {
			continue
		}
		m.negated = slices.ContainsFunc(ms, func(n match) bool {
			if n.rule.group != groupNeg || n.rule.notNeg || n.end > m.start || m.start-n.end > negateWindow {
				return false
			}
			return !slices.ContainsFunc(units[n.end:m.start], isMark)
		})
	}
}
