package parse

import "strings"

const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode checks an 18-character unified social credit code (统一社会信用代码,
// GB 32100): allowed characters (no I, O, Z, S, V) and the check character. Lower case is
// accepted. Error codes: credit_length, credit_chars, credit_checksum.
func ParseCreditCode(s string) (string, error) {
	c := strings.ToUpper(compact(s))
	if len([]rune(c)) != 18 {
		return "", fail("credit_length")
	}
	sum := 0
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditChars, c[i])
		if v < 0 {
			return "", fail("credit_chars")
		}
		if i < 17 {
			sum += v * creditWeights[i]
		}
	}
	check := (31 - sum%31) % 31
	if creditChars[check] != c[17] {
		return "", fail("credit_checksum")
	}
	return c, nil
}
