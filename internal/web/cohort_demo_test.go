package web_test

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/seed"
	"muster/internal/webtest"
)

// demoEnv serves muster over the demo data, as `muster serve --demo` does.
func demoEnv(t *testing.T, gdb *gorm.DB) *webtest.Env {
	t.Helper()
	env := webtest.Serve(t, gdb, clock.NewFixed(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)))
	env.App.Cohorts.Schedule = env.App.Roster
	if _, err := seed.Demo(context.Background(), env.App.Identity, env.App.Courses); err != nil {
		t.Fatal(err)
	}
	return env
}

// demoClient signs in as a demo account.
func demoClient(env *webtest.Env, email string) *webtest.Client {
	c := env.Anonymous()
	c.Login(email, seed.DemoPassword)
	return c
}

// TestDemoProgramme: a newcomer finds open cohorts hosted in both
// countries, with quotas for both agencies, sessions over several days and
// instructors assigned, and a clean conflicts report; every page renders.
func TestDemoProgramme(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := demoEnv(t, gdb)
		ctx, anon := context.Background(), access.Anonymous("192.0.2.1")
		page, err := env.App.Cohorts.List(ctx, anon, cohort.Query{Status: cohort.StatusOpen})
		if err != nil {
			t.Fatal(err)
		}
		hosts := map[string]bool{}
		var first string
		for _, s := range page.Items {
			d, err := env.App.Cohorts.Get(ctx, anon, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if d.Venue != nil {
				hosts[d.HostAgency.Country] = true
				if len(d.Quotas) != 2 {
					t.Errorf("%s has %d quotas", d.Code, len(d.Quotas))
				}
			}
			sched, err := env.App.Roster.Schedule(ctx, anon, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			days := map[string]bool{}
			for _, ses := range sched {
				days[ses.StartsAt.In(d.Location()).Format("2006-01-02")] = true
				if len(ses.Instructors) == 0 {
					t.Errorf("%s: session %q has no instructor", d.Code, ses.Topic)
				}
			}
			if len(days) < 2 {
				t.Errorf("%s: sessions on %d days", d.Code, len(days))
			}
			cs, err := env.App.Roster.Conflicts(ctx, access.System(), d.ID)
			if err != nil || len(cs) != 0 {
				t.Errorf("%s: conflicts %+v %v", d.Code, cs, err)
			}
			if first == "" {
				first = d.ID
			}
		}
		if len(page.Items) < 3 || !hosts["IR"] || !hosts["TJ"] {
			t.Fatalf("open cohorts %d, hosted in %v", len(page.Items), hosts)
		}
		// Every page of the capability renders for the people who use it.
		coord := demoClient(env, "coordinator@anp.example.ir")
		var session, instructor string
		gdb.Table("cohort_sessions").Select("id").Where("cohort_id = ?", first).Limit(1).Scan(&session)
		gdb.Table("users").Select("id").Where("email = ?", "instructor@dca.example.tj").Scan(&instructor)
		var venue string
		gdb.Table("venues").Select("id").Limit(1).Scan(&venue)
		for _, path := range []string{"/cohorts", "/cohorts/" + first, "/courses/CN-101", "/manage/cohorts", "/manage/cohorts/new",
			"/manage/cohorts/" + first, "/manage/cohorts/" + first + "/quotas", "/manage/cohorts/" + first + "/schedule",
			"/manage/cohorts/" + first + "/conflicts", "/manage/sessions/" + session, "/manage/venues", "/manage/venues/" + venue,
			"/manage/instructors", "/manage/instructors/" + instructor, "/manage/instructors?course=CN-101&language=fa"} {
			res := coord.Do("GET", path, nil)
			if res.Status != 200 || !strings.Contains(string(res.Body), "</html>") {
				t.Errorf("GET %s: %d %s", path, res.Status, res.Body)
			}
		}
		if res := coord.Do("GET", "/courses/CN-101", nil); !strings.Contains(string(res.Body), "CN101-TEH") {
			t.Errorf("course page lists no upcoming cohort")
		}
		res := coord.Do("GET", "/cohorts/"+first, nil)
		body := html.UnescapeString(string(res.Body))
		// The demo coordinator reads Persian in Tehran: Persian digits, no second zone.
		for _, want := range []string{"Asia/Tehran (UTC+03:30)", "IR-ANP", "TJ-DCA", "۰۹:۰۰–۱۲:۰۰"} {
			if !strings.Contains(body, want) {
				t.Errorf("cohort page lacks %q", want)
			}
		}
		ins := demoClient(env, "instructor@dca.example.tj")
		res = ins.Do("GET", "/me/calendar", nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), "CN101-TEH") || !strings.Contains(string(res.Body), "BS101-DYU") {
			t.Fatalf("instructor's calendar: %d", res.Status)
		}
		trainee := demoClient(env, "trainee@dca.example.tj")
		if res := trainee.Do("GET", "/cohorts/"+first, nil); !strings.Contains(string(res.Body), `href="/cohorts/`+first+`/enroll"`) {
			t.Errorf("no Enroll link for a trainee on an open cohort")
		}
	})
}
