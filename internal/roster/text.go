package roster

import (
	"strconv"

	"muster/internal/apperr"
)

func itoa(i int) string { return strconv.Itoa(i) }

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
