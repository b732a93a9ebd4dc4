// Package parse validates and normalises what petitioners type: resident ID numbers
// (GB 11643), unified social credit codes (GB 32100), mainland mobile numbers, court case
// numbers (案号) and dates. Every parser returns the normalised value or an *Error whose
// Code names exactly what is wrong, so the caller can answer with a specific message.
// Parsers never panic, whatever the input.
package parse

import "fmt"

// Error says why an input was refused. Code is a stable, lower-case identifier
// (for example "id_checksum") that callers map to a localized message.
type Error struct {
	Code string
}

func (e *Error) Error() string { return fmt.Sprintf("parse: %s", e.Code) }

func fail(code string) error { return &Error{Code: code} }

// Code returns the code of an *Error, or "" for nil or any other error.
func Code(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Code
	}
	return ""
}
