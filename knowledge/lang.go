package knowledge

import "unicode"

// QuestionLang tells the language a question is written in, so that a question typed in English
// can be answered in English whatever the user's interface language. It returns [LangZh] when
// text contains at least one Han character (a Chinese question that mentions "12309" or "app"
// is still Chinese), [LangEn] when it contains Latin letters (ASCII, accented or full-width) and
// no Han character, and ok=false with an empty lang when it contains neither, such as digits,
// punctuation or emoji alone. Invalid UTF-8 is ignored.
func QuestionLang(text string) (lang string, ok bool) {
	latin := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			return LangZh, true
		case unicode.Is(unicode.Latin, r):
			latin = true
		}
	}
	if latin {
		return LangEn, true
	}
	return "", false
}
