package i18n

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// ScanObject reads a JSON object column, which drivers give as text or
// bytes, into dst; NULL reads as an empty object. what names the column's
// type in errors.
func ScanObject[M ~map[string]V, V any](what string, v any, dst *M) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		*dst = M{}
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("%s: cannot scan %T", what, v)
	}
	m := M{}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	*dst = m
	return nil
}

// ObjectValue stores m as a JSON object, never null.
func ObjectValue[M ~map[string]V, V any](m M) (driver.Value, error) {
	if m == nil {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}
