package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestBrowserRussianNames: a Russian-speaking trainee of agency b sees a
// course titled in Persian by its Russian title in the catalogue, on the
// course's page and on its cohort's page, and the host agency by its
// Russian name on both.
func TestBrowserRussianNames(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	env.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	const (
		persian = "مبانی مرزبانی"
		russian = "Основы охраны границы"
		host    = "Полиция по борьбе с наркотиками"
	)
	in := env.Agencies["a"].Input()
	in.Names = i18n.Names{"ru": host, "fa": "پلیس مبارزه با مواد مخدر"}
	if _, err := env.App.Identity.UpdateAgency(ctx, access.System(), env.Agencies["a"].ID, in); err != nil {
		t.Fatal(err)
	}
	lang := "ru"
	if _, err := env.App.Identity.SetPreferences(ctx, env.Users["b/trainee"].Actor("192.0.2.9"), identity.Preferences{Language: &lang}); err != nil {
		t.Fatal(err)
	}
	coordA := env.Users["a/coordinator"].Actor("192.0.2.1")
	if _, err := env.App.Courses.Create(ctx, coordA, catalog.CourseInput{Code: "BS-302", Title: persian, Discipline: "border_security",
		Level: "basic", Delivery: "online", DurationHours: 20, Languages: []string{"fa", "ru"}, Status: catalog.StatusPublished,
		Translations: catalog.Translations{"ru": {Title: russian}}}); err != nil {
		t.Fatal(err)
	}
	c, err := env.App.Cohorts.Create(ctx, coordA, cohort.CohortInput{Code: "BS302-ONL", Course: "BS-302", Language: "ru", TimeZone: "Asia/Tehran",
		StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 20, EnrollmentOpensAt: "2026-04-01T09:00", EnrollmentClosesAt: "2026-05-01T09:00", Status: "open"})
	if err != nil {
		t.Fatal(err)
	}

	ru := webtest.Browser(t)
	env.SignIn(t, ru, env.URL+"/login?next=/courses", "trainee@b.example")
	if err := chromedp.Do(ru, chromedp.Navigate(env.URL+"/courses"), chromedp.WaitVisible(`a[href="/courses/BS-302"]`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ru, `a[href="/courses/BS-302"]`); !strings.Contains(got, russian) || strings.Contains(got, persian) {
		t.Fatalf("the Russian catalogue shows %q, want %q", got, russian)
	}
	if err := chromedp.Do(ru, chromedp.Navigate(env.URL+"/courses/BS-302"), chromedp.WaitVisible(`#upcoming-cohorts`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ru, "h1"); !strings.Contains(got, russian) {
		t.Fatalf("the Russian course page is titled %q", got)
	}
	if got := text(t, ru, "#upcoming-cohorts"); !strings.Contains(got, host) || !strings.Contains(got, russian) {
		t.Fatalf("the course's cohorts in Russian: %q, want the course as %q hosted by %q", got, russian, host)
	}
	if err := chromedp.Do(ru, chromedp.Navigate(env.URL+"/cohorts/"+c.ID), chromedp.WaitVisible(`#cohort-host`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ru, "h1"); !strings.Contains(got, russian) || strings.Contains(got, persian) {
		t.Fatalf("the Russian cohort page is titled %q", got)
	}
	if got := text(t, ru, "#cohort-host"); !strings.Contains(got, host) {
		t.Fatalf("host agency on the cohort page: %q, want %q", got, host)
	}
}
