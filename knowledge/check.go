package knowledge

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Problem is one thing wrong with a knowledge-base folder.
type Problem struct {
	// File is the path of the offending file inside the checked fs.FS (entries/x.yaml).
	File string
	// ID is the entry id the file declares, or empty when it could not be read.
	ID string
	// Message says what is wrong, in English.
	Message string
}

// String formats the problem as "file: id: problem"; a missing id is shown as "-".
func (p Problem) String() string {
	id := p.ID
	if id == "" {
		id = "-"
	}
	return p.File + ": " + id + ": " + p.Message
}

// Limits on the content of an entry, in characters (runes).
const (
	minQuestions    = 5
	maxTitleZh      = 40
	maxTitleEn      = 80
	maxAnswerZh     = 500
	maxAnswerEn     = 1200
	maxBasis        = 200
	maxQuestionLen  = 120
	reviewedLayout  = "2006-01-02"
	idPatternSource = `^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$`
)

var (
	idPattern   = regexp.MustCompile(idPatternSource)
	htmlPattern = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>`)
)

// Check validates the knowledge base in fsys (a folder with entries/*.yaml) and returns every
// problem found, in file order; an empty result means the base is fit to [Load]. It checks that
// each file parses as YAML with no unknown keys; that the id is present, well-formed, equal to
// the file name and unique; that reviewed is a YYYY-MM-DD date; that both languages have a title,
// an answer, a basis and at least 5 questions within the length limits; that related ids exist
// and are not the entry itself; and that answers and titles contain no HTML tags.
func Check(fsys fs.FS) []Problem {
	_, problems := checkBase(fsys)
	return problems
}

// checkBase parses and validates the base in fsys, returning the parsed files and every
// problem, ordered by file.
func checkBase(fsys fs.FS) ([]parsedFile, []Problem) {
	files, problems := readBase(fsys)
	problems = append(problems, validate(files)...)
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].File < problems[j].File })
	return files, problems
}

// validate applies the per-entry and cross-entry rules to parsed files.
func validate(files []parsedFile) []Problem {
	var problems []Problem
	seen := map[string]string{} // id → first file declaring it
	for _, f := range files {
		if id := f.entry.ID; id != "" {
			if first, dup := seen[id]; dup {
				problems = append(problems, Problem{File: f.name, ID: id, Message: "duplicate id, also in " + first})
			} else {
				seen[id] = f.name
			}
		}
	}
	for _, f := range files {
		report := func(format string, args ...any) {
			problems = append(problems, Problem{File: f.name, ID: f.entry.ID, Message: fmt.Sprintf(format, args...)})
		}
		checkEntry(f, seen, report)
	}
	return problems
}

// checkEntry reports every problem of one parsed file; ids maps every declared id to its file.
func checkEntry(f parsedFile, ids map[string]string, report func(string, ...any)) {
	e := f.entry
	switch {
	case e.ID == "":
		report("id is missing")
	case !idPattern.MatchString(e.ID):
		report("id %q is not lower-case dot-separated words (like apply.deadline)", e.ID)
	case e.ID != fileID(f.name):
		report("id does not match the file name (want %s.yaml)", e.ID)
	}
	if e.Reviewed == "" {
		report("reviewed date is missing")
	} else if _, err := time.Parse(reviewedLayout, e.Reviewed); err != nil {
		report("reviewed %q is not a valid YYYY-MM-DD date", e.Reviewed)
	}
	for _, r := range e.Related {
		switch _, ok := ids[r]; {
		case r == e.ID:
			report("related lists the entry itself")
		case !ok:
			report("related id %q does not exist", r)
		}
	}
	for _, lang := range Languages() {
		if !f.langs[lang] {
			report("%s: language block is missing", lang)
			continue
		}
		checkText(lang, e.Text[lang], report)
	}
}

// checkText reports the problems of one language block.
func checkText(lang string, t Text, report func(string, ...any)) {
	maxTitle, maxAnswer := maxTitleZh, maxAnswerZh
	if lang == LangEn {
		maxTitle, maxAnswer = maxTitleEn, maxAnswerEn
	}
	field := func(name, value string, limit int) {
		n := utf8.RuneCountInString(value)
		switch {
		case n == 0:
			report("%s: %s is missing", lang, name)
		case n > limit:
			report("%s: %s is %d characters long (at most %d)", lang, name, n, limit)
		}
	}
	field("title", t.Title, maxTitle)
	field("answer", t.Answer, maxAnswer)
	field("basis", t.Basis, maxBasis)
	for _, fv := range [][2]string{{"title", t.Title}, {"answer", t.Answer}} {
		if tag := htmlPattern.FindString(fv[1]); tag != "" {
			report("%s: %s contains an HTML tag %s", lang, fv[0], tag)
		}
	}
	if len(t.Questions) < minQuestions {
		report("%s: has %d questions (at least %d)", lang, len(t.Questions), minQuestions)
	}
	seen := map[string]bool{}
	for i, q := range t.Questions {
		q = strings.TrimSpace(q)
		n := utf8.RuneCountInString(q)
		switch {
		case n == 0:
			report("%s: question %d is empty", lang, i+1)
		case n > maxQuestionLen:
			report("%s: question %d is %d characters long (at most %d)", lang, i+1, n, maxQuestionLen)
		case seen[q]:
			report("%s: question %d repeats an earlier one", lang, i+1)
		}
		seen[q] = true
	}
}
