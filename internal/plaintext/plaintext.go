// Package plaintext makes user-typed text safe to store and show: valid
// UTF-8, no control characters (PostgreSQL refuses NUL), trimmed.
package plaintext

import (
	"strings"
	"unicode"
)

// Line cleans one line of text: control characters, line breaks included,
// are dropped.
func Line(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Block cleans multi-line text: line breaks (normalised to \n) and tabs stay,
// other control characters go.
func Block(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
