package knowledge

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entriesDir is the folder, relative to the root of a base's fs.FS, that holds one YAML file per
// entry.
const entriesDir = "entries"

//go:embed entries
var embedded embed.FS

// Embedded returns the knowledge base compiled into the binary: an fs.FS whose root contains
// entries/. Pass it to [Load] or [Check].
func Embedded() fs.FS { return embedded }

// Load reads every entries/*.yaml file of fsys and returns the entries sorted by id. It fails if
// the folder cannot be read or if [Check] would report any problem, so a broken base is never
// served; the error lists the problems, one per line.
func Load(fsys fs.FS) ([]Entry, error) {
	files, problems := checkBase(fsys)
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = p.String()
		}
		return nil, fmt.Errorf("knowledge base has %d problem(s):\n%s", len(problems), strings.Join(lines, "\n"))
	}
	entries := make([]Entry, 0, len(files))
	for _, f := range files {
		entries = append(entries, f.entry)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return entries, nil
}

// rawEntry mirrors the YAML layout of an entry file.
type rawEntry struct {
	ID       string   `yaml:"id"`
	Reviewed string   `yaml:"reviewed"`
	Tags     []string `yaml:"tags"`
	Related  []string `yaml:"related"`
	Zh       *rawText `yaml:"zh-Hans"`
	En       *rawText `yaml:"en"`
}

// rawText mirrors one language block of an entry file.
type rawText struct {
	Title     string   `yaml:"title"`
	Questions []string `yaml:"questions"`
	Answer    string   `yaml:"answer"`
	Basis     string   `yaml:"basis"`
}

// parsedFile is an entry file that parsed as YAML.
type parsedFile struct {
	name  string // path inside the fs.FS, e.g. entries/apply.deadline.yaml
	entry Entry
	langs map[string]bool // languages present as blocks in the file
}

// readBase parses every entries/*.yaml file of fsys. Files that cannot be read or parsed are
// reported as problems and left out of the result.
func readBase(fsys fs.FS) ([]parsedFile, []Problem) {
	names, err := fs.Glob(fsys, entriesDir+"/*.yaml")
	if err != nil {
		return nil, []Problem{{File: entriesDir, Message: err.Error()}}
	}
	if len(names) == 0 {
		return nil, []Problem{{File: entriesDir, Message: "no entry files (*.yaml) found"}}
	}
	sort.Strings(names)
	var files []parsedFile
	var problems []Problem
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, Problem{File: name, Message: err.Error()})
			continue
		}
		f, issues, err := parseEntry(name, data)
		if err != nil {
			problems = append(problems, Problem{File: name, Message: err.Error()})
			continue
		}
		for _, msg := range issues {
			problems = append(problems, Problem{File: name, ID: f.entry.ID, Message: msg})
		}
		files = append(files, f)
	}
	return files, problems
}

// parseEntry decodes one entry file. Syntax errors make the file unusable; unknown keys and
// values of the wrong type are returned as problems alongside the partly decoded entry.
func parseEntry(name string, data []byte) (parsedFile, []string, error) {
	var raw rawEntry
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var issues []string
	if err := dec.Decode(&raw); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			return parsedFile{}, nil, errors.New("file is empty")
		case errors.As(err, &te):
			for _, msg := range te.Errors {
				issues = append(issues, unknownKey.ReplaceAllString(msg, `unknown key "$1"`))
			}
		default:
			return parsedFile{}, nil, fmt.Errorf("invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		}
	}
	f := parsedFile{
		name: name,
		entry: Entry{
			ID:       raw.ID,
			Reviewed: raw.Reviewed,
			Tags:     raw.Tags,
			Related:  raw.Related,
			Text:     map[string]Text{},
		},
		langs: map[string]bool{},
	}
	for lang, t := range map[string]*rawText{LangZh: raw.Zh, LangEn: raw.En} {
		if t == nil {
			continue
		}
		f.langs[lang] = true
		f.entry.Text[lang] = Text{
			Title:     strings.TrimSpace(t.Title),
			Answer:    strings.TrimSpace(t.Answer),
			Basis:     strings.TrimSpace(t.Basis),
			Questions: t.Questions,
		}
	}
	return f, issues, nil
}

// unknownKey matches yaml's message for a key the target struct lacks.
var unknownKey = regexp.MustCompile(`field (\S+) not found in type \S+`)

// fileID is the id a file name implies: entries/apply.deadline.yaml → apply.deadline.
func fileID(name string) string { return strings.TrimSuffix(path.Base(name), ".yaml") }
