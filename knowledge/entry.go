package knowledge

// Language tags used as keys of [Entry.Text]. They are the only languages the base supports.
const (
	// LangZh is Simplified Chinese, the base's primary language and the fallback of [Entry.In].
	LangZh = "zh-Hans"
	// LangEn is English.
	LangEn = "en"
)

// Languages lists the supported language tags, primary language first.
func Languages() []string { return []string{LangZh, LangEn} }

// Entry is one curated answer of the knowledge base.
type Entry struct {
	// ID is unique, lower-case and dot-separated (apply.deadline); it equals the file name.
	ID string
	// Reviewed is the date (YYYY-MM-DD) a person last checked the content.
	Reviewed string
	// Tags are free grouping words.
	Tags []string
	// Related lists ids of other entries worth offering next; each exists in the base.
	Related []string
	// Text holds the content per language, keyed by [LangZh] and [LangEn].
	Text map[string]Text
}

// Text is an entry's content in one language.
type Text struct {
	// Title is a short heading.
	Title string
	// Answer is plain text (no HTML, no Markdown).
	Answer string
	// Basis names the law or practice the answer rests on.
	Basis string
	// Questions are typical phrasings of the question the entry answers.
	Questions []string
}

// In returns the entry's text in lang, falling back to Simplified Chinese when lang is not
// present. It returns the zero Text only if neither exists.
func (e Entry) In(lang string) Text {
	if t, ok := e.Text[lang]; ok {
		return t
	}
	return e.Text[LangZh]
}
