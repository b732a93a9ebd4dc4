package dialogs

import (
	"slices"
	"strings"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// /find looks cases up by name or phone through keyed hashes: a store never keeps these
// values in plaintext, only hashes of search terms. A term is a kind and a normalised
// value ("n:张三", "p:13812345678"), so that the same words typed in another way find the
// same case, and only whole values match (no substrings: a hash cannot tell them).

// nameFields and phoneFields are the values /find matches.
var (
	nameFields  = []string{"name", "org_name", "agent_name", "legal_rep"}
	phoneFields = []string{"phone", "agent_phone"}
)

// SearchTerms returns the search terms of a case's names and phones, without repeats; a
// store indexes the case under their keyed hashes.
func SearchTerms(c Case) []string {
	var out []string
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, f := range nameFields {
		add(nameTerm(c.Values[f]))
	}
	for _, f := range phoneFields {
		add(phoneTerm(c.Values[f]))
	}
	return out
}

// QueryTerms returns the terms a /find query may mean: a name and, when it is a phone
// number, a phone.
func QueryTerms(q string) []string {
	var out []string
	if t := nameTerm(q); t != "" {
		out = append(out, t)
	}
	if t := phoneTerm(q); t != "" {
		out = append(out, t)
	}
	return out
}

// nameTerm normalises a name: without spaces or control characters, in lower case.
func nameTerm(s string) string {
	n := strings.ToLower(strings.Join(strings.Fields(parse.Clean(s)), ""))
	if n == "" {
		return ""
	}
	return "n:" + n
}

// phoneTerm normalises a phone: a mobile number as the application stores it, else its
// digits when there are at least 7 (a landline typed in a registration form).
func phoneTerm(s string) string {
	if p, err := parse.ParseMobile(s); err == nil {
		return "p:" + p
	}
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(d) < 7 {
		return ""
	}
	return "p:" + d
}
