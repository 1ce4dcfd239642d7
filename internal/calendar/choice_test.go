package calendar

import (
	"testing"
	"time"
)

func TestFormatChoice(t *testing.T) {
	day := parseDay("2026-03-21") // Nowruz 1405
	for _, tc := range []struct{ lang, choice, want string }{
		{"fa", "", "۱ فروردین ۱۴۰۵"},
		{"fa", Gregorian, "۲۱ مارس ۲۰۲۶"},
		{"en", "", "2026-03-21"},
		{"ru", "", "21.03.2026"},
		{"tg", Jalaali, "1405/01/01"},
	} {
		if got := FormatChoice(tc.lang, tc.choice, day); got != tc.want {
			t.Errorf("%s/%q: %q, want %q", tc.lang, tc.choice, got, tc.want)
		}
	}
}

// TestParseDay reads dates typed in a Persian form: Jalali or Gregorian, in
// any digits; impossible days (Esfand 30 of a common year) are refused.
func TestParseDay(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"1405/01/01", "2026-03-21"},
		{"۱۴۰۵/۰۱/۰۱", "2026-03-21"},
		{"١٤٠٣-١٢-٣٠", "2025-03-20"}, // 1403 is leap; a Jalali year is recognised in any calendar
		{"2026-05-10", "2026-05-10"},
		{"۲۰۲۶-۰۵-۱۰", "2026-05-10"},
		{"1404/12/30", ""}, // 1404 is not leap
		{"2026-02-30", ""},
		{"1405/07/31", ""}, // Mehr has 30 days
		{"tomorrow", ""},
	} {
		got, ok := ParseDay(tc.in)
		if tc.want == "" {
			if ok {
				t.Errorf("%q read as %s, want a refusal", tc.in, got.Format(time.DateOnly))
			}
			continue
		}
		if !ok || got.Format(time.DateOnly) != tc.want {
			t.Errorf("%q: %s %v, want %s", tc.in, got.Format(time.DateOnly), ok, tc.want)
		}
	}
}

func TestClockDigits(t *testing.T) {
	at := time.Date(2026, 5, 11, 9, 5, 0, 0, time.UTC)
	if got := Clock("fa", at); got != "۰۹:۰۵" {
		t.Errorf("fa clock %q", got)
	}
	if got := Clock("ru", at); got != "09:05" {
		t.Errorf("ru clock %q", got)
	}
}
