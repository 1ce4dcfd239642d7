package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
	"muster/internal/webtest"
)

// TestBrowserCohortSchedule: a coordinator in Tehran creates a cohort with
// quotas, adds sessions in Tehran time, assigns an instructor, and sees the
// clash named when the same instructor is put on a session that overlaps,
// across time zones, one they teach in a Dushanbe cohort.
func TestBrowserCohortSchedule(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	env.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	ctx := context.Background()
	publishCourse(t, env, "a", "CN-101", "fa", "tg")
	coordA, coordB := env.Users["a/coordinator"].Actor("192.0.2.1"), env.Users["b/coordinator"].Actor("192.0.2.2")
	ins := env.Users["a/instructor"]
	venue, err := env.App.Cohorts.CreateVenue(ctx, coordA, cohort.VenueInput{Name: "Police Academy", City: "Tehran", Country: "IR", Capacity: 40, TimeZone: "Asia/Tehran"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Roster.SetQualifications(ctx, coordA, ins.ID, roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: "CN-101"}}}); err != nil {
		t.Fatal(err)
	}
	// The instructor already teaches in Dushanbe on 12 May, 10:00-12:00 local (08:30-10:30 in Tehran).
	dyu, err := env.App.Cohorts.Create(ctx, coordB, cohort.CohortInput{Code: "CN101-DYU", Course: "CN-101", Language: "tg", TimeZone: "Asia/Dushanbe",
		StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 20, EnrollmentOpensAt: "2026-04-01T09:00", EnrollmentClosesAt: "2026-05-01T09:00", Status: "open"})
	if err != nil {
		t.Fatal(err)
	}
	field, err := env.App.Cohorts.AddSession(ctx, coordB, dyu.ID, cohort.SessionInput{StartsAt: "2026-05-12T10:00", EndsAt: "2026-05-12T12:00", Topic: "Field exercise"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Roster.Assign(ctx, coordB, field.ID, roster.AssignInput{InstructorID: ins.ID, Role: roster.RoleLead}); err != nil {
		t.Fatal(err)
	}

	b := webtest.Browser(t)
	env.SignIn(t, b, env.URL+"/manage/cohorts/new", "coordinator@a.example")
	fill(t, b, `#cohort-form`, "#f-code", "CN101-TEH", "#f-course", "CN-101", "#f-venue_id", venue.ID, "#f-language", "fa",
		"#f-starts_on", "2026-05-10", "#f-ends_on", "2026-05-14", "#f-capacity", "20",
		"#f-enrollment_opens_at", "2026-04-01T09:00", "#f-enrollment_closes_at", "2026-05-01T17:00", "#f-status", "open")
	fill(t, b, `#quotas-form`, `input[data-agency="A-AG"]`, "12", `input[data-agency="B-AG"]`, "8")
	if err := chromedp.Do(b, chromedp.WaitVisible(`table#quotas`)); err != nil {
		t.Fatal(err)
	}
	if q := text(t, b, "table#quotas"); !strings.Contains(q, "A-AG") || !strings.Contains(q, "12") || !strings.Contains(q, "B-AG") {
		t.Fatalf("quotas on the cohort page: %q", q)
	}
	if z := text(t, b, "dl.facts"); !strings.Contains(z, "Asia/Tehran (UTC+03:30)") {
		t.Fatalf("zone not shown: %q", z)
	}
	addSession := func(starts, ends, topic, room string) {
		t.Helper()
		fill(t, b, `#session-form`, "#f-starts_at", starts, "#f-ends_at", ends, "#f-topic", topic, "#f-room", room)
		if err := chromedp.Do(b, chromedp.WaitVisible(`.flash-success`)); err != nil {
			t.Fatalf("add session %s: %v", topic, err)
		}
	}
	if err := chromedp.Do(b, chromedp.Click(`nav.cohort-manage a[href$="/schedule"]`)); err != nil {
		t.Fatal(err)
	}
	addSession("2026-05-11T09:00", "2026-05-11T12:00", "Legal framework", "101")
	addSession("2026-05-12T09:00", "2026-05-12T10:00", "Drug identification", "101")
	page, err := env.App.Cohorts.List(ctx, coordA, cohort.Query{Course: "CN-101", Host: env.Agencies["a"].ID})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("cohorts %v %v", page.Items, err)
	}
	sessions, _ := env.App.Cohorts.Sessions(ctx, page.Items[0].ID)
	if len(sessions) != 2 || sessions[0].StartsAt.UTC().Format(time.RFC3339) != "2026-05-11T05:30:00Z" {
		t.Fatalf("sessions %+v", sessions)
	}
	if z := text(t, b, "#schedule-zone"); !strings.Contains(z, "Asia/Tehran") {
		t.Fatalf("schedule zone %q", z)
	}
	if h := text(t, b, "#topic-"+sessions[0].ID); !strings.Contains(h, "09:00–12:00") || !strings.Contains(h, "Legal framework") {
		t.Fatalf("first session shown as %q", h)
	}
	assign := func(sessionID string) {
		t.Helper()
		err := chromedp.Do(b,
			chromedp.SetValue(`#instructor-`+sessionID, ins.ID),
			chromedp.SetValue(`#role-`+sessionID, "lead"),
			chromedp.Submit(`#instructor-`+sessionID),
			chromedp.WaitVisible(`#session-form`),
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	assign(sessions[0].ID)
	if got := text(t, b, "#session-"+sessions[0].ID+" ul.instructors"); !strings.Contains(got, "A instructor") {
		t.Fatalf("instructors of the first session: %q", got)
	}
	assign(sessions[1].ID)
	msg := text(t, b, "#assign-error")
	for _, want := range []string{"A instructor", "already teaches", "Field exercise", "CN101-DYU", "2026-05-12 08:30", "Asia/Tehran"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("clash message %q lacks %q", msg, want)
		}
	}
	if got, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#session-`+sessions[1].ID+` ul.instructors li").length`)); got != 0 {
		t.Fatalf("the refused assignment shows %d instructors", got)
	}
}

// fill waits for form, sets each selector's value and submits the form.
func fill(t *testing.T, b context.Context, form string, kv ...string) {
	t.Helper()
	if err := chromedp.Do(b, chromedp.WaitVisible(form)); err != nil {
		t.Fatalf("no %s: %v", form, err)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if err := chromedp.Do(b, chromedp.SetValue(kv[i], kv[i+1])); err != nil {
			t.Fatalf("%s = %q: %v", kv[i], kv[i+1], err)
		}
	}
	if err := chromedp.Do(b, chromedp.Submit(form)); err != nil {
		t.Fatalf("submit %s: %v", form, err)
	}
}
