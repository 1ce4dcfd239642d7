// Package apperrtest holds the assertion every package's tests share about
// refusals; it imports nothing but apperr, so any test may use it.
package apperrtest

import (
	"testing"

	"muster/internal/apperr"
)

// WantCode fails the test unless err is an apperr.Error with code, and
// returns it for further checks of its fields and arguments.
func WantCode(t testing.TB, err error, code string) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("got error %v, want code %s", err, code)
	}
	return e
}

// WantField fails the test unless err is invalid with a message key on
// field, and returns that field's message for further checks.
func WantField(t testing.TB, err error, field, key string) apperr.FieldError {
	t.Helper()
	e := WantCode(t, err, apperr.CodeInvalid)
	for _, fe := range e.Fields {
		if fe.Field == field && fe.Key == key {
			return fe
		}
	}
	t.Fatalf("fields = %+v, want %s %s", e.Fields, field, key)
	return apperr.FieldError{}
}
