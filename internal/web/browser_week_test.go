package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBrowserScheduleCopyAndWeek: a coordinator copies one cohort's
// schedule into a new cohort from its schedule page, opens the new
// cohort's week view and steps to the next week.
func TestBrowserScheduleCopyAndWeek(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := context.Background()
	a := env.Agencies["a"].ID
	src := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, nil)
	dst := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, nil)
	coord := env.Users["a/coordinator"].Actor("192.0.2.1")
	first := src.StartsOn.Format("2006-01-02")
	if _, err := env.App.Cohorts.AddSession(ctx, coord, src.ID, cohort.SessionInput{StartsAt: first + "T09:00", EndsAt: first + "T12:00", Topic: "Opening brief"}); err != nil {
		t.Fatal(err)
	}

	b := webtest.Browser(t)
	env.SignIn(t, b, env.URL+"/manage/cohorts/"+dst.ID+"/schedule", "coordinator@a.example")
	fill(t, b, "#copy-form", "#f-copy-from", src.ID, "#f-first_day", dst.StartsOn.Format("2006-01-02"))
	if err := chromedp.Do(b, chromedp.WaitVisible(`.flash-success`)); err != nil {
		t.Fatalf("copy: %v", err)
	}
	if s := text(t, b, "main"); !strings.Contains(s, "Opening brief") {
		t.Fatalf("the copied session is not on the schedule: %q", s)
	}
	day := dst.StartsOn.Format("2006-01-02")
	if err := chromedp.Do(b, chromedp.Click(`#week-link`), chromedp.WaitVisible(`li[data-day="`+day+`"] .week-session`)); err != nil {
		t.Fatalf("week view: %v", err)
	}
	if s := text(t, b, `li[data-day="`+day+`"]`); !strings.Contains(s, "Opening brief") || !strings.Contains(s, "09:00–12:00") {
		t.Fatalf("the week's day: %q", s)
	}
	if err := chromedp.Do(b, chromedp.Click(`#week-next`), chromedp.WaitNotPresent(`li[data-day="`+day+`"]`), chromedp.WaitVisible(`#week`)); err != nil {
		t.Fatalf("next week: %v", err)
	}
	if s := text(t, b, "#week"); strings.Contains(s, "Opening brief") {
		t.Fatalf("the next week shows the session: %q", s)
	}
}
