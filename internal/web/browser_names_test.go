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
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestBrowserNamesInTheReadersLanguage: a course titled in Persian shows
// its Tajik title to a Tajik trainee, in the catalogue and on its cohort's
// page; a Persian coordinator sees the same cohort page with the Persian
// title, a Jalali date and the host agency's Persian name.
func TestBrowserNamesInTheReadersLanguage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	env.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	in := env.Agencies["a"].Input()
	in.Names = map[string]string{"fa": "پلیس مبارزه با مواد مخدر"}
	if _, err := env.App.Identity.UpdateAgency(ctx, access.System(), env.Agencies["a"].ID, in); err != nil {
		t.Fatal(err)
	}
	for key, lang := range map[string]string{"b/trainee": "tg", "a/coordinator": "fa"} {
		lang := lang
		if _, err := env.App.Identity.SetPreferences(ctx, env.Users[key].Actor("192.0.2.9"), identity.Preferences{Language: &lang}); err != nil {
			t.Fatal(err)
		}
	}
	coordA := env.Users["a/coordinator"].Actor("192.0.2.1")
	const persian, tajik = "مبانی مرزبانی", "Асосҳои посбонии сарҳад"
	if _, err := env.App.Courses.Create(ctx, coordA, catalog.CourseInput{Code: "BS-301", Title: persian, Discipline: "border_security",
		Level: "basic", Delivery: "online", DurationHours: 20, Languages: []string{"fa", "tg"}, Status: catalog.StatusPublished,
		Translations: catalog.Translations{"tg": {Title: tajik}}}); err != nil {
		t.Fatal(err)
	}
	c, err := env.App.Cohorts.Create(ctx, coordA, cohort.CohortInput{Code: "BS301-ONL", Course: "BS-301", Language: "fa", TimeZone: "Asia/Tehran",
		StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 20, EnrollmentOpensAt: "2026-04-01T09:00", EnrollmentClosesAt: "2026-05-01T09:00", Status: "open"})
	if err != nil {
		t.Fatal(err)
	}
	page := env.URL + "/cohorts/" + c.ID

	tg := webtest.Browser(t)
	env.SignIn(t, tg, env.URL+"/login?next=/courses", "trainee@b.example")
	if err := chromedp.Do(tg, chromedp.Navigate(env.URL+"/courses"), chromedp.WaitVisible(`a[href="/courses/BS-301"]`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, tg, `a[href="/courses/BS-301"]`); !strings.Contains(got, tajik) || strings.Contains(got, persian) {
		t.Fatalf("the Tajik catalogue shows %q, want %q", got, tajik)
	}
	if err := chromedp.Do(tg, chromedp.Navigate(page), chromedp.WaitVisible(`#cohort-dates`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, tg, "h1"); !strings.Contains(got, tajik) {
		t.Fatalf("the Tajik cohort page is titled %q, want %q", got, tajik)
	}

	// 10 May 2026 = 20 Ordibehesht 1405.
	fa := webtest.Browser(t)
	env.SignIn(t, fa, env.URL+"/login?next=/cohorts/"+c.ID, "coordinator@a.example")
	if err := chromedp.Do(fa, chromedp.Navigate(page), chromedp.WaitVisible(`#cohort-host`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, fa, "h1"); !strings.Contains(got, persian) {
		t.Fatalf("the Persian cohort page is titled %q", got)
	}
	if got := text(t, fa, "#cohort-dates"); !strings.Contains(got, "۲۰ اردیبهشت ۱۴۰۵") {
		t.Fatalf("Persian cohort dates %q", got)
	}
	if got := text(t, fa, "#cohort-host"); !strings.Contains(got, "پلیس مبارزه با مواد مخدر") {
		t.Fatalf("host agency in Persian: %q", got)
	}
}
