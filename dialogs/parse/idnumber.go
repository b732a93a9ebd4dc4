package parse

import (
	"strings"
	"time"
)

// ResidentID is a valid 18-character mainland resident ID number (公民身份号码).
type ResidentID struct {
	Number string    // normalised: upper-case X
	Birth  time.Time // midnight UTC of the birth date
	Male   bool      // the sequence code is odd
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// ParseResidentID checks an ID number against GB 11643: 18 characters, digits except a
// final X (lower-case accepted), a real birth date not after today, and the ISO 7064
// MOD 11-2 check character. today is the caller's current date. Error codes:
// id_length, id_chars, id_birth, id_future, id_checksum.
func ParseResidentID(s string, today time.Time) (ResidentID, error) {
	n := strings.ToUpper(compact(s))
	if len([]rune(n)) != 18 {
		return ResidentID{}, fail("id_length")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := n[i]
		if c < '0' || c > '9' {
			return ResidentID{}, fail("id_chars")
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := n[17]
	if (last < '0' || last > '9') && last != 'X' {
		return ResidentID{}, fail("id_chars")
	}
	birth, err := time.Parse("20060102", n[6:14])
	if err != nil || birth.Year() < 1880 {
		return ResidentID{}, fail("id_birth")
	}
	if birth.After(dateOf(today)) {
		return ResidentID{}, fail("id_future")
	}
	if idCheckChars[sum%11] != last {
		return ResidentID{}, fail("id_checksum")
	}
	return ResidentID{Number: n, Birth: birth, Male: (n[16]-'0')%2 == 1}, nil
}

// Age returns the completed years between birth and today.
func Age(birth, today time.Time) int {
	t := dateOf(today)
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

// MaskID keeps only the last four characters of an identity number: "**************002X".
func MaskID(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-4) + string(r[len(r)-4:])
}

// dateOf returns the calendar date of t (in t's location) as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
