package dialogs

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/petitionbot/petitionbot/dialogs/parse"
)

// The parsers below turn a petitioner's text into a field value or a specific error. Error
// keys are "err.<code>" with the parser's code; arguments say what was expected.

func bad(key string, kv ...string) parsed {
	t := T(key, kv...)
	return parsed{err: &t}
}

// textOf accepts free text of min to max characters, with line breaks but no control
// characters.
func textOf(min, max int) func(*Engine, *Draft, string) parsed {
	return func(_ *Engine, _ *Draft, s string) parsed {
		s = parse.Clean(s)
		n := utf8.RuneCountInString(s)
		switch {
		case n == 0:
			return bad("err.empty")
		case n < min:
			return bad("err.too_short", "Min", strconv.Itoa(min), "Got", strconv.Itoa(n))
		case n > max:
			return bad("err.too_long", "Max", strconv.Itoa(max), "Got", strconv.Itoa(n))
		}
		return parsed{value: s}
	}
}

// parseName accepts a person's name: 2 to 50 characters of letters, with the dots and
// spaces used in minority and foreign names, and no digits.
func parseName(_ *Engine, _ *Draft, s string) parsed {
	s = strings.Join(strings.Fields(parse.Clean(s)), " ")
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return bad("err.empty")
	}
	if n < 2 || n > 50 {
		return bad("err.name_length")
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune(" ·•.-'", r) {
			return bad("err.name_chars")
		}
	}
	return parsed{value: s}
}

func codeErr(err error) parsed { return bad("err." + parse.Code(err)) }

func parseIDNumber(e *Engine, _ *Draft, s string) parsed {
	id, err := parse.ParseResidentID(s, e.today())
	if err != nil {
		return codeErr(err)
	}
	return parsed{value: id.Number}
}

// parseDocNumber accepts another identity document's number: 4 to 30 letters, digits,
// dashes or brackets. Staff check it.
func parseDocNumber(_ *Engine, _ *Draft, s string) parsed {
	s = strings.ToUpper(strings.Join(strings.Fields(parse.Clean(s)), ""))
	n := utf8.RuneCountInString(s)
	if n < 4 || n > 30 {
		return bad("err.doc_number")
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') && !strings.ContainsRune("-()/", r) {
			return bad("err.doc_number")
		}
	}
	return parsed{value: s}
}

func parseCreditCode(_ *Engine, _ *Draft, s string) parsed {
	c, err := parse.ParseCreditCode(s)
	if err != nil {
		return codeErr(err)
	}
	return parsed{value: c}
}

func parsePhone(_ *Engine, _ *Draft, s string) parsed {
	p, err := parse.ParseMobile(s)
	if err != nil {
		return codeErr(err)
	}
	return parsed{value: p}
}

func parseCaseNumber(e *Engine, _ *Draft, s string) parsed {
	c, err := parse.ParseCaseNumber(s, e.today())
	if err != nil {
		return codeErr(err)
	}
	return parsed{value: c.String()}
}

func parseAnyDate(e *Engine, s string) parsed {
	t, err := parse.ParseDate(s, e.today())
	if err != nil {
		return codeErr(err)
	}
	return parsed{value: parse.FormatDate(t)}
}

func parseJudgmentDate(e *Engine, d *Draft, s string) parsed { return parseAnyDate(e, s) }
func parseKeyDate(e *Engine, d *Draft, s string) parsed      { return parseAnyDate(e, s) }

// isMinor reports whether the applicant's resident ID says they are under 18.
func isMinor(d *Draft) bool {
	if d.get("applicant_type") != "individual" || d.get("id_type") != "resident" || d.get("consent_sensitive") != "yes" {
		return false
	}
	return d.get("minor") == "yes"
}
