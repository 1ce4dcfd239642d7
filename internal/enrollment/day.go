package enrollment

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Day is a calendar day read from a date column; it travels as YYYY-MM-DD.
type Day struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD".
func (d Day) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.UTC().Format("2006-01-02") + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Day) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.Time = time.Time{}
		return nil
	}
	t, err := time.Parse(`"2006-01-02"`, string(b))
	if err != nil {
		return fmt.Errorf("enrollment: a day is \"YYYY-MM-DD\": %w", err)
	}
	d.Time = t
	return nil
}

// String is the day as YYYY-MM-DD.
func (d Day) String() string { return d.UTC().Format("2006-01-02") }

// Scan reads a date as either driver gives it: a time (PostgreSQL, and
// SQLite for declared date columns) or text.
func (d *Day) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = dateOf(x)
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	case nil:
		d.Time = time.Time{}
		return nil
	}
	return fmt.Errorf("enrollment: cannot read a day from %T", v)
}

func (d *Day) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05-07:00", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time = dateOf(t)
			return nil
		}
	}
	return fmt.Errorf("enrollment: cannot read a day from %q", s)
}

// Value writes the day as midnight UTC.
func (d Day) Value() (driver.Value, error) { return dateOf(d.Time), nil }
