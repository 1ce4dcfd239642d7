package i18n

import (
	"strconv"

	"muster/internal/calendar"
)

// Date writes a day as the localizer's language reads it: Jalali with
// Persian digits in fa. Templates call it as {{.Date .IssuedOn}}.
func (l *Localizer) Date(d calendar.Day) string { return calendar.Format(l.Lang, d) }

// Digits writes the digits of a code, number or id in the language's own
// digits, without group separators.
func (l *Localizer) Digits(s string) string { return calendar.Digits(l.Lang, s) }

// Int writes a whole number in the language's digits.
func (l *Localizer) Int(n int) string { return l.Digits(strconv.Itoa(n)) }
