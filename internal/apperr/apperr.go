// Package apperr is muster's one error type: a machine-readable code, a
// message key for the translated text, and field messages. Services return
// it; the web layer maps codes to HTTP statuses in one table.
package apperr

import (
	"errors"
	"fmt"
)

// Codes shared by every capability. Rule codes (cohort_not_open, ...) are
// declared next to the rules that raise them.
const (
	CodeInvalid        = "invalid"      // input fails validation
	CodeMalformed      = "malformed"    // body cannot be parsed
	CodeTooLarge       = "too_large"    // body over the limit
	CodeNotFound       = "not_found"    // no such record, or not in the caller's scope
	CodeConflict       = "conflict"     // duplicate or stale state
	CodeForbidden      = "forbidden"    // signed in but not allowed
	CodeUnauthorized   = "unauthorized" // not signed in or bad credentials
	CodeRateLimited    = "rate_limited" // too many requests
	CodePasswordChange = "password_change_required"
	CodeInternal       = "internal"
	CodeUnavailable    = "unavailable" // the database cannot be reached or is full: try again later
)

// FieldError is a message about one input field.
type FieldError struct {
	Field string // JSON name of the field, or "row 3, column email" style paths
	Key   string // message key in the catalogs
	Args  map[string]any
}

// Error is a failure a client can act on.
type Error struct {
	Code   string         // machine-readable code
	Key    string         // message key in the catalogs; defaults to "error."+Code
	Args   map[string]any // values for the message template
	Fields []FieldError
	// Details are machine-readable facts a client can act on, such as the
	// clashing session of a conflict or a waitlist position.
	Details map[string]any
	Err     error // cause, logged, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.Err)
	}
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %s", e.Code, e.Fields[0].Field, e.Fields[0].Key)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Err }

// MessageKey is the catalog key of the error's message.
func (e *Error) MessageKey() string {
	if e.Key != "" {
		return e.Key
	}
	return "error." + e.Code
}

// New returns an error with a code and its default message.
func New(code string) *Error { return &Error{Code: code} }

// NotFound is the answer for missing and out-of-scope records alike.
func NotFound() *Error { return New(CodeNotFound) }

// Invalid returns a validation error for the given fields.
func Invalid(fields ...FieldError) *Error { return &Error{Code: CodeInvalid, Fields: fields} }

// Field is a FieldError with optional key/value arguments.
func Field(field, key string, kv ...any) FieldError {
	fe := FieldError{Field: field, Key: key}
	if len(kv) > 0 {
		fe.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			fe.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return fe
}

// WithArgs sets message arguments and returns e.
func (e *Error) WithArgs(kv ...any) *Error {
	if e.Args == nil {
		e.Args = map[string]any{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return e
}

// CodeOf returns the code of err, or CodeInternal for errors of other types.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// As returns err as *Error when it is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
