package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/roster"
	"muster/internal/webtest"
)

// TestWeekViews: a cohort's week lays its sessions out by day, in the
// viewer's zone (the cohort's for a visitor), Monday first, Saturday first
// in Persian, with links to the neighbouring weeks; trainees and
// instructors see their own week, coordinators an instructor's; another
// agency's draft cohort answers 404.
func TestWeekViews(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	env.Clock.Set(time.Date(2031, 4, 30, 8, 0, 0, 0, time.UTC))
	ctx := context.Background()
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, map[string]int{a: 6})
	coord := env.Users["a/coordinator"].Actor("192.0.2.1")
	first := c.StartsOn.Format(time.DateOnly) // 2031-05-20, a Tuesday
	ses, err := env.App.Cohorts.AddSession(ctx, coord, c.ID, cohort.SessionInput{StartsAt: first + "T09:00", EndsAt: first + "T12:00", Topic: "Opening drill"})
	if err != nil {
		t.Fatal(err)
	}
	course := strings.TrimSuffix(c.Code, "-1")
	if _, err := env.App.Roster.SetQualifications(ctx, coord, env.Users["a/instructor"].ID, roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: course}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Roster.Assign(ctx, coord, ses.ID, roster.AssignInput{InstructorID: env.Users["a/instructor"].ID, Role: "lead"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Enroll.Enroll(ctx, coord, c.ID, enrollment.Request{UserID: env.Users["a/trainee"].ID}); err != nil {
		t.Fatal(err)
	}
	column := func(body, day string) string {
		t.Helper()
		_, rest, ok := strings.Cut(body, `data-day="`+day+`"`)
		if !ok {
			t.Fatalf("no column for %s", day)
		}
		col, _, _ := strings.Cut(rest, "</li>")
		return col
	}

	// A visitor sees the week of the next session, in the cohort's zone.
	res := env.Anonymous().Do("GET", "/cohorts/"+c.ID+"/week", nil)
	body := string(res.Body)
	if res.Status != http.StatusOK || !strings.Contains(column(body, first), "Opening drill") || !strings.Contains(column(body, first), "09:00–12:00") {
		t.Fatalf("cohort week: %d\n%s", res.Status, body)
	}
	if !strings.Contains(body, `data-day="2031-05-19"`) || strings.Index(body, `data-day="2031-05-19"`) > strings.Index(body, `data-day="2031-05-20"`) {
		t.Error("the week does not start on Monday 19 May")
	}
	for _, link := range []string{`href="/cohorts/` + c.ID + `/week?week=2031-05-12"`, `href="/cohorts/` + c.ID + `/week?week=2031-05-26"`} {
		if !strings.Contains(body, link) {
			t.Errorf("no link %s", link)
		}
	}
	if res := env.Anonymous().Do("GET", "/cohorts/"+c.ID+"/week?week=2031-05-27", nil); strings.Contains(string(res.Body), "Opening drill") {
		t.Error("the next week shows this week's session")
	}

	// A trainee in Tehran sees Tehran time; in Persian the week starts on Saturday.
	trainee := env.As("a/trainee")
	if res := trainee.Do("PATCH", "/api/v1/me", `{"time_zone": "Asia/Tehran"}`); res.Status != http.StatusOK {
		t.Fatalf("time zone: %d %s", res.Status, res.Body)
	}
	body = string(trainee.Do("GET", "/me/calendar/week?week="+first, nil).Body)
	if col := column(body, first); !strings.Contains(col, "07:30–10:30") || !strings.Contains(col, "Opening drill") {
		t.Errorf("the trainee's week in Tehran time:\n%s", col)
	}
	if res := trainee.Do("PATCH", "/api/v1/me", `{"language": "fa"}`); res.Status != http.StatusOK {
		t.Fatalf("language: %d %s", res.Status, res.Body)
	}
	body = string(trainee.Do("GET", "/cohorts/"+c.ID+"/week?week="+first, nil).Body)
	if i := strings.Index(body, `data-day="`); i < 0 || body[i:i+len(`data-day="2031-05-17"`)] != `data-day="2031-05-17"` {
		t.Error("the Persian week does not start on Saturday 17 May")
	}

	// The instructor sees their own week; coordinators see it on the roster.
	if body := string(env.As("a/instructor").Do("GET", "/me/calendar/week?week="+first, nil).Body); !strings.Contains(column(body, first), "Opening drill") {
		t.Error("the instructor's own week lacks the session")
	}
	path := "/manage/instructors/" + env.Users["a/instructor"].ID + "/week?week=" + first
	if body := string(env.As("a/coordinator").Do("GET", path, nil).Body); !strings.Contains(column(body, first), "Opening drill") {
		t.Error("the instructor's week on the roster lacks the session")
	}
	if res := env.As("a/trainee").Do("GET", path, nil); res.Status != http.StatusForbidden {
		t.Errorf("a trainee reads an instructor's week: %d", res.Status)
	}

	// Another agency's draft cohort is not there for agency a.
	draft, err := env.App.Cohorts.Create(ctx, access.System(), cohort.CohortInput{Code: "DRAFT-B", Course: course,
		HostAgencyID: b, Language: "tg", StartsOn: first, EndsOn: first, TimeZone: "Asia/Dushanbe", Capacity: 5,
		EnrollmentOpensAt: "2031-05-01T09:00", EnrollmentClosesAt: "2031-05-10T09:00"})
	if err != nil {
		t.Fatal(err)
	}
	if res := env.As("a/coordinator").Do("GET", "/cohorts/"+draft.ID+"/week", nil); res.Status != http.StatusNotFound {
		t.Errorf("agency b's draft cohort: %d, want 404", res.Status)
	}
	if res := env.As("b/coordinator").Do("GET", "/cohorts/"+draft.ID+"/week", nil); res.Status != http.StatusOK {
		t.Errorf("the host's own draft: %d", res.Status)
	}
}
