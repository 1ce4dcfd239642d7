package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestScheduleCopyForm: the schedule page copies another cohort's
// schedule; a refused copy shows the page again with the form's error and
// what was typed.
func TestScheduleCopyForm(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := context.Background()
	a := env.Agencies["a"].ID
	src := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, nil)
	dst := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, nil)
	coord := env.Users["a/coordinator"].Actor("192.0.2.1")
	day := src.StartsOn.Format("2006-01-02")
	if _, err := env.App.Cohorts.AddSession(ctx, coord, src.ID, cohort.SessionInput{StartsAt: day + "T09:00", EndsAt: day + "T12:00", Topic: "Opening"}); err != nil {
		t.Fatal(err)
	}
	client := env.As("a/coordinator")
	page := string(client.Do("GET", "/manage/cohorts/"+dst.ID+"/schedule", nil).Body)
	if !strings.Contains(page, `id="copy-form"`) || !strings.Contains(page, `<option value="`+src.ID+`"`) {
		t.Fatal("the schedule page offers no copy of the other cohort")
	}
	post := func(first string, replace bool) *webtest.Response {
		form := url.Values{"from": {src.ID}, "first_day": {first}}
		if replace {
			form.Set("replace", "true")
		}
		return client.Do("POST", "/manage/cohorts/"+dst.ID+"/schedule/copy", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	if res := post("someday", false); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="e-first_day"`) || !strings.Contains(string(res.Body), `value="someday"`) {
		t.Fatalf("a bad day: %d %s", res.Status, res.Body)
	}
	if res := post(day, false); res.Status != http.StatusSeeOther {
		t.Fatalf("copy: %d %s", res.Status, res.Body)
	}
	if res := post(day, false); res.Status != http.StatusConflict || !strings.Contains(string(res.Body), `id="copy-error"`) {
		t.Fatalf("a second copy without replacing: %d", res.Status)
	}
	if res := post(day, true); res.Status != http.StatusSeeOther {
		t.Fatalf("copy replacing: %d", res.Status)
	}
	if all, _ := env.App.Cohorts.Sessions(ctx, dst.ID); len(all) != 1 || all[0].Topic != "Opening" {
		t.Fatalf("target sessions: %+v", all)
	}
	// The audit trail names where the schedule came from and where it went.
	trail := string(client.Do("GET", "/manage/audit?action=cohort.schedule_copy", nil).Body)
	from := `<a href="/cohorts/` + src.ID + `"><bdi>` + src.Code + `</bdi></a>`
	into := `<a href="/cohorts/` + dst.ID + `"><bdi>` + dst.Code + `</bdi></a>`
	if !strings.Contains(trail, `copied the schedule of `+from+` into `+into) {
		t.Errorf("the copy's sentence names no source:\n%s", trail)
	}
}

// TestScheduleCopyFromAnotherAgency: a cohort of another agency, open or
// draft, is no source for a copy, answered as an unknown cohort is (the
// form again with its error on the source), so the answer tells nothing of
// it, and nothing is copied.
func TestScheduleCopyFromAnotherAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		ctx := context.Background()
		b := env.Agencies["b"].ID
		src := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), b, 6, nil)
		dst := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 6, nil)
		newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 6, nil) // a source of its own, so the form shows
		day := src.StartsOn.Format("2006-01-02")
		if _, err := env.App.Cohorts.AddSession(ctx, env.Users["b/coordinator"].Actor("192.0.2.1"), src.ID,
			cohort.SessionInput{StartsAt: day + "T09:00", EndsAt: day + "T12:00", Topic: "B only"}); err != nil {
			t.Fatal(err)
		}
		client := env.As("a/coordinator")
		for _, from := range []string{src.ID, "01a23b0b-0000-7000-8000-000000000000"} {
			form := url.Values{"from": {from}, "first_day": {dst.StartsOn.Format("2006-01-02")}}
			res := client.Do("POST", "/manage/cohorts/"+dst.ID+"/schedule/copy", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="e-copy-from"`) {
				t.Errorf("from %s: %d, want 422 on the source", from, res.Status)
			}
		}
		if all, _ := env.App.Cohorts.Sessions(ctx, dst.ID); len(all) != 0 {
			t.Fatalf("another agency's schedule was copied: %+v", all)
		}
	})
}
