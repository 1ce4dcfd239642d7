package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Calendar names a person may choose; "" follows the language.
const (
	Jalaali   = "jalali"
	Gregorian = "gregorian"
)

// Uses is the calendar dates are written in for lang and a person's choice:
// Jalali in Persian unless Gregorian is chosen, Gregorian elsewhere unless
// Jalali is chosen.
func Uses(lang, choice string) string {
	if choice == Jalaali || choice == Gregorian {
		return choice
	}
	if lang == "fa" {
		return Jalaali
	}
	return Gregorian
}

// persianMonths are the Gregorian months as Persian writes them.
var persianMonths = [...]string{"ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"}

// FormatChoice writes the day of d in lang and the chosen calendar (see Uses).
func FormatChoice(lang, choice string, d Day) string {
	if Uses(lang, choice) == Jalaali {
		if lang == "fa" {
			return ToJalali(d).String()
		}
		j := ToJalali(d)
		return fmt.Sprintf("%04d/%02d/%02d", j.Year, j.Month, j.Day)
	}
	if lang == "fa" {
		y, m, dd := d.Date()
		return PersianDigits(strconv.Itoa(dd)) + " " + persianMonths[m-1] + " " + PersianDigits(strconv.Itoa(y))
	}
	return Format(lang, d)
}

// Clock writes the wall-clock time of t as HH:MM in lang's digits.
func Clock(lang string, t time.Time) string { return Digits(lang, t.Format("15:04")) }

// ParseDay reads a calendar day typed in a form as midnight UTC: year,
// month and day in any digits, separated by -, / or a dot. A year below
// 1700 is a Jalali year (today's is about 1405), so a Persian reader may
// type either calendar.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(ASCIIDigits(s))
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	if n[0] < 1700 {
		j := Jalali{Year: n[0], Month: n[1], Day: n[2]}
		if j.Month < 1 || j.Month > 12 || j.Day < 1 || j.Day > 31 || (j.Month > 6 && j.Day > 30) || (j.Month == 12 && j.Day == 30 && !IsLeap(j.Year)) {
			return time.Time{}, false
		}
		t, err := j.Gregorian()
		return t, err == nil
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return time.Time{}, false
	}
	return t, true
}

// ASCIIDigits maps Persian and Arabic-Indic digits to ASCII, so numbers
// typed on a Persian or Arabic keyboard read as numbers.
func ASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		}
		return r
	}, s)
}
