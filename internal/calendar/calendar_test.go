package calendar

import (
	"testing"
	"time"
)

func parseDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestJalaliPairs checks the conversion against known pairs: Nowruz falls on
// 20 or 21 March by year, and leap years have an Esfand 30.
func TestJalaliPairs(t *testing.T) {
	for _, tc := range []struct {
		gregorian string
		jalali    Jalali
	}{
		{"2026-11-30", Jalali{1405, 9, 9}},
		{"2025-03-21", Jalali{1404, 1, 1}}, // Nowruz on 21 March
		{"2024-03-20", Jalali{1403, 1, 1}}, // and on 20 March
		{"2025-03-20", Jalali{1403, 12, 30}},
		{"2026-03-20", Jalali{1404, 12, 29}}, // 1404 is not leap: Esfand ends on the 29th
		{"2026-03-21", Jalali{1405, 1, 1}},
		{"2000-02-29", Jalali{1378, 12, 10}},
		{"1979-02-11", Jalali{1357, 11, 22}},
	} {
		g := parseDay(tc.gregorian)
		if got := ToJalali(g); got != tc.jalali {
			t.Errorf("%s: got %+v, want %+v", tc.gregorian, got, tc.jalali)
		}
		back, err := tc.jalali.Gregorian()
		if err != nil || !back.Equal(g) {
			t.Errorf("%+v back to %s, want %s (%v)", tc.jalali, back.Format(time.DateOnly), tc.gregorian, err)
		}
	}
}

func TestLeapYears(t *testing.T) {
	for year, want := range map[int]bool{1399: true, 1400: false, 1403: true, 1404: false, 1408: true} {
		if got := IsLeap(year); got != want {
			t.Errorf("IsLeap(%d) = %v, want %v", year, got, want)
		}
	}
	if _, err := (Jalali{1404, 12, 30}).Gregorian(); err == nil {
		t.Error("1404-12-30 does not exist but converted")
	}
}

func TestFormat(t *testing.T) {
	d := parseDay("2026-11-30")
	for lang, want := range map[string]string{
		"fa": "۹ آذر ۱۴۰۵",
		"ru": "30.11.2026",
		"tg": "30.11.2026",
		"en": "2026-11-30",
		"xx": "2026-11-30",
	} {
		if got := Format(lang, d); got != want {
			t.Errorf("Format(%s) = %q, want %q", lang, got, want)
		}
	}
	if got := ToJalali(parseDay("2025-04-05")).Numeric(); got != "۱۴۰۴/۰۱/۱۶" {
		t.Errorf("Numeric = %q", got)
	}
	// Embedding time.Time is enough to be a day.
	type date struct{ time.Time }
	if got := Format("fa", date{parseDay("2025-03-21")}); got != "۱ فروردین ۱۴۰۴" {
		t.Errorf("embedded = %q", got)
	}
}

func TestDigits(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"fa", "MUS-2026-000123", "MUS-۲۰۲۶-۰۰۰۱۲۳"},
		{"fa", "1405", "۱۴۰۵"}, // no group separator in a year
		{"fa", "12,5", "۱۲,۵"},
		{"ru", "2026", "2026"},
		{"en", "07", "07"},
	} {
		if got := Digits(tc.lang, tc.in); got != tc.want {
			t.Errorf("Digits(%s, %q) = %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}
