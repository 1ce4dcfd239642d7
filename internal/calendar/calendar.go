// Package calendar writes dates as each of muster's languages reads them:
// the Solar Hijri (Jalali) calendar with Persian month names and digits for
// Persian, day.month.year for Russian and Tajik, ISO 8601 for English.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone rules inside the binary: containers often lack them

	"github.com/jalaali/go-jalaali"
)

// Jalali is a day of the Solar Hijri calendar.
type Jalali struct {
	Year  int
	Month int // 1 = Farvardin
	Day   int
}

// Day is anything that names a calendar day: time.Time and the types that
// embed it.
type Day interface {
	Date() (int, time.Month, int)
}

// ToJalali converts the Gregorian day of d.
func ToJalali(d Day) Jalali {
	y, m, dd := d.Date()
	jy, jm, jd, err := jalaali.ToJalaali(y, m, dd)
	if err != nil {
		// The converter refuses only years outside -61..3177.
		panic(fmt.Sprintf("calendar: %04d-%02d-%02d: %v", y, m, dd, err))
	}
	return Jalali{Year: jy, Month: int(jm), Day: jd}
}

// Gregorian is the day j falls on, as midnight UTC.
func (j Jalali) Gregorian() (time.Time, error) {
	y, m, d, err := jalaali.ToGregorian(j.Year, jalaali.Month(j.Month), j.Day)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// IsLeap reports whether the Jalali year has 366 days (an Esfand 30).
func IsLeap(year int) bool {
	leap, err := jalaali.IsLeapYear(year)
	return err == nil && leap
}

// MonthName is the Persian name of a Jalali month (1 = فروردین).
func MonthName(month int) string { return jalaali.Month(month).String() }

// String is the day as Persian writes it: ۹ آذر ۱۴۰۵.
func (j Jalali) String() string {
	return PersianDigits(strconv.Itoa(j.Day)) + " " + MonthName(j.Month) + " " + PersianDigits(strconv.Itoa(j.Year))
}

// Numeric is the day as YYYY/MM/DD in Persian digits: ۱۴۰۵/۰۹/۰۹.
func (j Jalali) Numeric() string {
	return PersianDigits(fmt.Sprintf("%04d/%02d/%02d", j.Year, j.Month, j.Day))
}

// PersianDigits replaces ASCII digits by Persian ones and leaves everything
// else alone. Years and ids go through this plain mapping: number formatting
// would put group separators into them.
func PersianDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '۰' + (r - '0')
		}
		return r
	}, s)
}

// Digits writes the ASCII digits of s in lang's own digits.
func Digits(lang, s string) string {
	if lang == "fa" {
		return PersianDigits(s)
	}
	return s
}

// Format writes the day of d in lang: the Jalali date in Persian digits for
// fa, 30.11.2026 for ru and tg, 2026-11-30 otherwise.
func Format(lang string, d Day) string {
	y, m, dd := d.Date()
	switch lang {
	case "fa":
		return ToJalali(d).String()
	case "ru", "tg":
		return fmt.Sprintf("%02d.%02d.%04d", dd, m, y)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// LoadZone returns the IANA time zone name, refusing "", "Local" and
// anything the zone database does not know.
func LoadZone(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}

// ISO writes the Gregorian day of d as YYYY-MM-DD, the form every reader
// across a border can check.
func ISO(d Day) string { return Format("en", d) }
