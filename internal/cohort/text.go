package cohort

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"muster/internal/apperr"
)

// cleanLine makes a one-line text safe to store: valid UTF-8, no control
// characters (PostgreSQL refuses NUL), no surrounding space.
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

// hasField reports whether fields holds a message about field.
func hasField(fields []apperr.FieldError, field string) bool {
	return slices.ContainsFunc(fields, func(f apperr.FieldError) bool {
		return f.Field == field || strings.HasPrefix(f.Field, field+"[")
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
