package parse

import "strings"

// ParseMobile accepts a mainland mobile number: 11 digits starting 13–19, optionally
// preceded by +86, 0086 or 86, with spaces, dashes or brackets in between. It returns the
// 11 digits. Error codes: phone_chars, phone_length, phone_prefix.
func ParseMobile(s string) (string, error) {
	n := strings.Map(func(r rune) rune {
		if r == '(' || r == ')' || r == '.' {
			return -1
		}
		return r
	}, compact(s))
	switch {
	case strings.HasPrefix(n, "+86"):
		n = n[3:]
	case strings.HasPrefix(n, "0086"):
		n = n[4:]
	case strings.HasPrefix(n, "86") && len(n) == 13:
		n = n[2:]
	}
	if n == "" {
		return "", fail("phone_length")
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return "", fail("phone_chars")
		}
	}
	if len(n) != 11 {
		return "", fail("phone_length")
	}
	if n[0] != '1' || n[1] < '3' {
		return "", fail("phone_prefix")
	}
	return n, nil
}
