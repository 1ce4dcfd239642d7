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
	"muster/internal/enrollment"
	"muster/internal/webtest"
)

// TestBrowserPartnerNominates: the partner agency's coordinator lands on
// their home, finds the exchange cohort another agency hosts among the
// cohorts starting soon and in "My cohorts", sees their agency's seats on
// the cohort page and nominates from there.
func TestBrowserPartnerNominates(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 5, map[string]int{a: 2, b: 3})
	ctx := webtest.Browser(t)

	env.SignIn(t, ctx, env.URL+"/login", "coordinator@b.example")
	waitAt(t, ctx, "/")
	if got := text(t, ctx, "#home-starting"); !strings.Contains(got, c.Code) || !strings.Contains(got, "B-AG 0/3") {
		t.Fatalf("home's cohorts starting soon: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/manage/cohorts"), chromedp.WaitVisible(`table.cohorts`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "table.cohorts"); !strings.Contains(got, c.Code) || !strings.Contains(got, "Partner") {
		t.Fatalf("My cohorts: %q", got)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(`table.cohorts a[href="/cohorts/`+c.ID+`"]`),
		chromedp.WaitVisible(`#partner-part`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#own-seats"); got != "Your agency's seats: 0 of 3 taken." {
		t.Fatalf("own seats: %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#partner-nominate`),
		chromedp.WaitVisible(`#f-person`),
		chromedp.SendKeys(`#f-person`, "b-trainee"),
		chromedp.Submit(`#f-person`),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/manage/cohorts/"+c.ID+"/roster")
	if got := text(t, ctx, "#roster"); !strings.Contains(got, "B trainee") {
		t.Fatalf("roster after nominating: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/cohorts/"+c.ID), chromedp.WaitVisible(`#own-seats`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#own-seats"); got != "Your agency's seats: 1 of 3 taken." {
		t.Fatalf("own seats after nominating: %q", got)
	}
}

// TestBrowserSelectAllApprove: the coordinator ticks every request with one
// box and approves them at once.
func TestBrowserSelectAllApprove(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a := env.Agencies["a"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 2, nil)
	approval := true
	if _, err := env.App.Cohorts.Update(context.Background(), access.System(), c.ID, cohort.CohortPatch{RequiresApproval: &approval}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Dariush Karimi", "Farhod Rahimov", "Laleh Moradi"} {
		u, err := env.App.Identity.CreateUser(context.Background(), access.System(), identityInput(a, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Enroll.Enroll(context.Background(), u.User.Actor("192.0.2.9"), c.ID, enrollment.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := webtest.Browser(t)
	env.SignIn(t, ctx, env.URL+"/manage/cohorts/"+c.ID+"/decisions", "coordinator@a.example")
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(`#select-all`),
		chromedp.Click(`#select-all`),
	)
	if err != nil {
		t.Fatal(err)
	}
	ticked, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#pending input[name="id"]:checked').length`))
	if err != nil || ticked != 3 {
		t.Fatalf("select all ticked %d (%v)", ticked, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#approve-selected`), chromedp.WaitVisible(`#decision-results`)); err != nil {
		t.Fatal(err)
	}
	got := text(t, ctx, "#decision-results")
	// Two seats: the first two hold one, the third waits.
	if strings.Count(got, "Enrolled") != 2 || strings.Count(got, "Waitlisted") != 1 || !strings.Contains(got, "Laleh Moradi") {
		t.Fatalf("results: %q", got)
	}
	if got := text(t, ctx, "#no-pending"); got == "" {
		t.Fatal("requests still pending")
	}
}

// TestBrowserRepeatingSchedule: one form adds a daily series of sessions
// that skips the host country's weekend.
func TestBrowserRepeatingSchedule(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["b"].ID, 5, nil) // Tajik host: Saturday and Sunday off
	first := c.StartsOn
	for first.Weekday() != 5 { // a Friday, so the weekend falls inside the series
		first = first.AddDate(0, 0, 1)
	}
	endsOn := first.AddDate(0, 0, 10).Format(time.DateOnly)
	if _, err := env.App.Cohorts.Update(context.Background(), access.System(), c.ID, cohort.CohortPatch{EndsOn: &endsOn}); err != nil {
		t.Fatal(err)
	}
	day := first.Format("2006-01-02")
	ctx := webtest.Browser(t)
	env.SignIn(t, ctx, env.URL+"/manage/cohorts/"+c.ID+"/schedule", "coordinator@b.example")
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(`#session-form`),
		chromedp.SetValue(`#f-starts_at`, day+"T09:00"),
		chromedp.SetValue(`#f-ends_at`, day+"T12:00"),
		chromedp.SendKeys(`#f-topic`, "Checkpoint drill"),
		chromedp.SetValue(`#f-repeat_every`, "day"),
		chromedp.SendKeys(`#f-repeat_count`, "3"),
		chromedp.Click(`#f-skip_weekends`),
		chromedp.Submit(`#f-topic`),
		chromedp.WaitVisible(`.flash-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	days, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("section.session time")).map(e => e.getAttribute("datetime").slice(0, 10))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{day, first.AddDate(0, 0, 3).Format("2006-01-02"), first.AddDate(0, 0, 4).Format("2006-01-02")}
	if strings.Join(days, " ") != strings.Join(want, " ") {
		t.Fatalf("series days %v, want %v (Friday, then Monday and Tuesday)", days, want)
	}
}
