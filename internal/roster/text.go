package roster

import (
	"strconv"
	"strings"
	"unicode"

	"muster/internal/apperr"
)

func itoa(i int) string { return strconv.Itoa(i) }

// cleanLine makes a one-line text safe to store.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// fieldsOf returns the field messages of a validation error, nil for none.
func fieldsOf(err error) []apperr.FieldError {
	if err == nil {
		return nil
	}
	if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
		return e.Fields
	}
	return []apperr.FieldError{apperr.Field("form", "validation.invalid")}
}
