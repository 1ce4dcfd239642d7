package cohort

import (
	"slices"
	"strconv"
	"strings"

	"muster/internal/apperr"
)

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
