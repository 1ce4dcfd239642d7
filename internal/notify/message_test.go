package notify

import (
	"strings"
	"testing"
)

// TestMailDatesInTheReadersCalendar: a Persian reader's e-mail gives the
// cohort's days in the Jalali calendar with Persian digits, unless they
// chose Gregorian; other readers keep Gregorian days unless they chose Jalali.
func TestMailDatesInTheReadersCalendar(t *testing.T) {
	for _, tc := range []struct {
		r        recipient
		has, not string
	}{
		{recipient{Language: "fa"}, "۲ فروردین ۱۴۰۵", "2026"},
		{recipient{Language: "fa", Calendar: "gregorian"}, "2026-03-22", "فروردین"},
		{recipient{Language: "en"}, "2026-03-22", "Farvardin"},
		{recipient{Language: "ru"}, "2026-03-22", "فروردین"},
		{recipient{Language: "ru", Calendar: "jalali"}, "1405/01/02", "2026-03-22"},
	} {
		msg, err := compose(catalogs, "https://muster.example", waitlisted("0193a000-0000-7000-8000-000000000003"), tc.r)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Body, tc.has) || strings.Contains(msg.Body, tc.not) {
			t.Errorf("%s/%s: body %q, want %q and no %q", tc.r.Language, tc.r.Calendar, msg.Body, tc.has, tc.not)
		}
	}
	when := localDate("fa", "", "2026-03-22 09:30 (Asia/Tehran)")
	if when != "۲ فروردین ۱۴۰۵ ۰۹:۳۰ (Asia/Tehran)" {
		t.Errorf("session time: %q", when)
	}
}

// TestMailCourseTitleInTheReadersLanguage: the course is named in the
// reader's language by the fallback rule.
func TestMailCourseTitleInTheReadersLanguage(t *testing.T) {
	n := waitlisted("0193a000-0000-7000-8000-000000000004")
	n.Data = strings.Replace(n.Data, `"position":3`, `"position":3,"course_titles":{"ru":"Оперативная работа"}`, 1)
	for lang, want := range map[string]string{"tg": "Оперативная работа", "ru": "Оперативная работа", "en": "Counter-narcotics field work"} {
		msg, err := compose(catalogs, "https://muster.example", n, recipient{Language: lang})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Body, want) {
			t.Errorf("%s body lacks %q: %s", lang, want, msg.Body)
		}
	}
}
