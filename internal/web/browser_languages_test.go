package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestBrowserLanguagesAndZones walks an online cohort hosted in Tehran in
// three languages: a Tajik trainee in Dushanbe sees its session at Dushanbe
// time with Tehran's beside it; a Persian coordinator sees Jalali dates whose
// values sit next to their labels (measured), and sets quotas typed in
// Persian and Arabic-Indic digits; a Russian reader sees day.month.year.
func TestBrowserLanguagesAndZones(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	env.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	for key, zone := range map[string]string{"a": "Asia/Tehran", "b": "Asia/Dushanbe"} {
		in := env.Agencies[key].Input()
		in.TimeZone = zone
		if _, err := env.App.Identity.UpdateAgency(ctx, access.System(), env.Agencies[key].ID, in); err != nil {
			t.Fatal(err)
		}
	}
	setLanguage := func(key, lang string) {
		t.Helper()
		if _, err := env.App.Identity.SetPreferences(ctx, env.Users[key].Actor("192.0.2.9"), identity.Preferences{Language: &lang}); err != nil {
			t.Fatal(err)
		}
	}
	setLanguage("b/trainee", "tg")
	setLanguage("a/coordinator", "fa")
	setLanguage("b/hr", "ru")
	publishCourse(t, env, "a", "CN-101", "fa", "tg")
	coordA := env.Users["a/coordinator"].Actor("192.0.2.1")
	c, err := env.App.Cohorts.Create(ctx, coordA, cohort.CohortInput{Code: "CN101-ONL", Course: "CN-101", Language: "fa", TimeZone: "Asia/Tehran",
		StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 20, EnrollmentOpensAt: "2026-04-01T09:00", EnrollmentClosesAt: "2026-05-01T09:00", Status: "open"})
	if err != nil {
		t.Fatal(err)
	}
	ses, err := env.App.Cohorts.AddSession(ctx, coordA, c.ID, cohort.SessionInput{StartsAt: "2026-05-11T09:00", EndsAt: "2026-05-11T12:00", Topic: "Legal framework"})
	if err != nil {
		t.Fatal(err)
	}
	page := env.URL + "/cohorts/" + c.ID
	login := env.URL + "/login?next=/cohorts/" + c.ID

	// Dushanbe is 1:30 ahead of Tehran in May.
	tg := webtest.Browser(t)
	env.SignIn(t, tg, login, "trainee@b.example")
	if err := chromedp.Do(tg, chromedp.Navigate(page), chromedp.WaitVisible(`#session-`+ses.ID)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, tg, "#session-"+ses.ID+" .viewer-time"); got != "10:30–13:30" {
		t.Fatalf("the Dushanbe trainee sees the session at %q, want 10:30–13:30", got)
	}
	if got := text(t, tg, "#session-"+ses.ID+" .cohort-time"); !strings.Contains(got, "09:00–12:00") || !strings.Contains(got, "Asia/Tehran") {
		t.Fatalf("the cohort's own time beside it: %q", got)
	}
	if got := text(t, tg, "#schedule-zone"); !strings.Contains(got, "Asia/Dushanbe") || strings.Contains(got, "UTC ") {
		t.Fatalf("schedule zone line %q", got)
	}

	// Persian: Jalali dates in Persian digits, 10 May 2026 = 20 Ordibehesht 1405.
	fa := webtest.Browser(t)
	env.SignIn(t, fa, login, "coordinator@a.example")
	if err := chromedp.Do(fa, chromedp.Navigate(page), chromedp.WaitVisible(`#cohort-dates`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, fa, "#cohort-dates"); !strings.Contains(got, "۲۰ اردیبهشت ۱۴۰۵") || !strings.Contains(got, "۲۴ اردیبهشت ۱۴۰۵") {
		t.Fatalf("Persian cohort dates %q", got)
	}
	if got := text(t, fa, "#session-"+ses.ID+" .viewer-time"); got != "۰۹:۰۰–۱۲:۰۰" {
		t.Fatalf("Persian session time %q", got)
	}
	// Each value starts right beside its label: in right-to-left the gap
	// between a dt's left edge and its dd's text's right edge is the grid's.
	gaps, err := chromedp.Run(fa, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("dl.facts dt")].map(dt => {
		const dd = dt.nextElementSibling, r = document.createRange();
		r.selectNodeContents(dd);
		return dt.getBoundingClientRect().left - r.getBoundingClientRect().right;
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) < 6 {
		t.Fatalf("measured %d facts", len(gaps))
	}
	for i, g := range gaps {
		if g < 0 || g > 40 {
			t.Errorf("fact %d: its value sits %.0f px from its label", i, g)
		}
	}

	// Quotas typed in Persian and Arabic-Indic digits.
	if err := chromedp.Do(fa, chromedp.Navigate(env.URL+"/manage/cohorts/"+c.ID+"/quotas")); err != nil {
		t.Fatal(err)
	}
	if mode := attr(t, fa, `input[data-agency="A-AG"]`, "inputmode"); mode != "numeric" {
		t.Fatalf("seats input mode %q", mode)
	}
	fill(t, fa, `#quotas-form`, `input[data-agency="A-AG"]`, "۱۲x", `input[data-agency="B-AG"]`, "٨")
	if err := chromedp.Do(fa, chromedp.WaitVisible(`#quotas-form .flash-error`)); err != nil {
		t.Fatal(err)
	}
	if msg := text(t, fa, `#quotas-form .flash-error`); !strings.Contains(msg, "Agency a") || !containsArabicScript(msg) {
		t.Fatalf("seats error %q names neither the agency nor speaks Persian", msg)
	}
	if kept, err := chromedp.Run(fa, chromedp.Value(`input[data-agency="A-AG"]`)); err != nil || kept != "۱۲x" {
		t.Fatalf("the typed seats were not kept: %q %v", kept, err)
	}
	fill(t, fa, `#quotas-form`, `input[data-agency="A-AG"]`, "۱۲", `input[data-agency="B-AG"]`, "٨")
	if err := chromedp.Do(fa, chromedp.WaitVisible(`table#quotas`)); err != nil {
		t.Fatal(err)
	}
	d, err := env.App.Cohorts.Get(ctx, coordA, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	seats := map[string]int{}
	for _, q := range d.Quotas {
		seats[q.AgencyID] = q.Seats
	}
	if seats[env.Agencies["a"].ID] != 12 || seats[env.Agencies["b"].ID] != 8 {
		t.Fatalf("quotas stored %v", seats)
	}
	if got := text(t, fa, "table#quotas"); !strings.Contains(got, "۱۲") || !strings.Contains(got, "۸") {
		t.Fatalf("quotas shown %q", got)
	}

	// Russian reads day.month.year.
	ru := webtest.Browser(t)
	env.SignIn(t, ru, login, "hr@b.example")
	if err := chromedp.Do(ru, chromedp.Navigate(page), chromedp.WaitVisible(`#cohort-dates`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ru, "#cohort-dates"); !strings.Contains(got, "10.05.2026") {
		t.Fatalf("Russian cohort dates %q", got)
	}
}
