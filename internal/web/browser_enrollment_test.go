package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBrowserEnrollment: a trainee signs in, enrolls in a cohort of one
// seat and sees "enrolled"; another sees "waitlisted, position 1"; the first
// withdraws; the second now sees "enrolled".
func TestBrowserEnrollment(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 1, nil)
	page := env.URL + "/cohorts/" + c.ID + "/enroll"
	ctx := webtest.Browser(t)

	// The enroll page asks the visitor to sign in, then says what enrolling does.
	env.SignIn(t, ctx, page, "trainee@a.example")
	if got := text(t, ctx, "#forecast"); !strings.Contains(got, "There is a seat for you") {
		t.Fatalf("forecast %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#enroll`), chromedp.WaitVisible(`#my-status`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#my-status"); got != "Enrolled" {
		t.Fatalf("first trainee: %q", got)
	}
	enrollSignOut(t, ctx)

	env.SignIn(t, ctx, page, "trainee@b.example")
	if got := text(t, ctx, "#forecast"); !strings.Contains(got, "waitlist at position 1") {
		t.Fatalf("forecast when full: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#enroll`), chromedp.WaitVisible(`#my-status`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#my-status"); !strings.EqualFold(got, "waitlisted, position 1") {
		t.Fatalf("second trainee: %q", got)
	}
	enrollSignOut(t, ctx)

	// The first withdraws from "My training".
	env.SignIn(t, ctx, env.URL+"/me/training", "trainee@a.example")
	err := chromedp.Do(ctx,
		chromedp.Click(`#my-enrollments form[action$="/withdraw"] button`),
		chromedp.WaitVisible(`#withdraw-question`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Withdrawing asks first; nothing has changed yet.
	if got := text(t, ctx, "#withdraw-question"); !strings.Contains(got, c.Code) {
		t.Fatalf("confirmation: %q", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#confirm-withdraw`),
		chromedp.WaitVisible(`.flash-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#my-enrollments .enrollment-status"); got != "Withdrawn" {
		t.Fatalf("after withdrawing: %q", got)
	}
	enrollSignOut(t, ctx)

	env.SignIn(t, ctx, env.URL+"/me/training", "trainee@b.example")
	if got := text(t, ctx, "#my-enrollments .enrollment-status"); got != "Enrolled" {
		t.Fatalf("second trainee after the withdrawal: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(`#my-status`)); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "#my-status"); got != "Enrolled" {
		t.Fatalf("second trainee's enroll page: %q", got)
	}
}

func enrollSignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`a[href="/login"]`)); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}
