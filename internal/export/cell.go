package export

import (
	"database/sql"
	"fmt"
	"math"
	"time"
)

// cellKind is the type of a value in an exported row.
type cellKind uint8

const (
	cellNull    cellKind = iota // a missing value: an empty cell, JSON null
	cellText                    // a string
	cellInt                     // a whole number
	cellDecimal                 // a number with one decimal place (percentages)
	cellDate                    // a calendar day, YYYY-MM-DD
)

// cell is one value of a row. Rows are slices of cells reused from row to
// row, so exporting allocates little per row.
type cell struct {
	kind cellKind
	text string
	num  int64
	dec  float64
	date time.Time
}

func (c *cell) setText(s string) { *c = cell{kind: cellText, text: s} }

func (c *cell) setInt(n int64) { *c = cell{kind: cellInt, num: n} }

// setNullInt is an int, or an empty cell when the database has none.
func (c *cell) setNullInt(n sql.NullInt64) {
	if !n.Valid {
		*c = cell{}
		return
	}
	c.setInt(n.Int64)
}

// setOptional is a string, or an empty cell for "".
func (c *cell) setOptional(s string) {
	if s == "" {
		*c = cell{}
		return
	}
	c.setText(s)
}

// setNullText is a string, or an empty cell for NULL and "".
func (c *cell) setNullText(s sql.NullString) { c.setOptional(s.String) }

// setDate is a day, or an empty cell when the database has none.
func (c *cell) setDate(d day) {
	if !d.valid {
		*c = cell{}
		return
	}
	*c = cell{kind: cellDate, date: d.t}
}

// setPercent is part*100/whole with one decimal, or empty when whole is 0.
func (c *cell) setPercent(part, whole int64) {
	if whole <= 0 {
		*c = cell{}
		return
	}
	*c = cell{kind: cellDecimal, dec: math.Round(float64(part)*1000/float64(whole)) / 10}
}

// day scans a date column. PostgreSQL gives time.Time; SQLite gives time.Time
// for a date column and text for an expression, so both are accepted.
type day struct {
	t     time.Time
	valid bool
}

// Scan implements sql.Scanner.
func (d *day) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		*d = day{}
		return nil
	case time.Time:
		*d = day{t: time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), valid: true}
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("export: cannot read %T as a date", v)
	}
	if len(s) < len(dateLayout) {
		return fmt.Errorf("export: cannot read %q as a date", s)
	}
	t, err := time.Parse(dateLayout, s[:len(dateLayout)])
	if err != nil {
		return err
	}
	*d = day{t: t, valid: true}
	return nil
}
