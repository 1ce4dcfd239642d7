package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/db/dbtest"
	"muster/internal/testworld"
	"muster/internal/webtest"
)

// summaries are the SUMMARY lines of an iCalendar answer.
func summaries(t *testing.T, res *webtest.Response) []string {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(string(res.Body)))
	if res.Status != http.StatusOK || err != nil {
		t.Fatalf("calendar: %d %v\n%s", res.Status, err, res.Body)
	}
	var out []string
	for _, e := range cal.Events() {
		out = append(out, e.GetProperty(ics.ComponentPropertySummary).Value)
	}
	return out
}

// TestFeedSummaryInTheOwnersLanguage: a trainee's private feed, fetched by
// a calendar app that sends no language, titles the course in the
// trainee's language, as does their own feed through the API; the
// cohort's feed follows its reader's language.
func TestFeedSummaryInTheOwnersLanguage(t *testing.T) {
	const russian = "Основы оперативной работы"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		w := &testworld.World{T: t, DB: gdb, Ctx: context.Background(), Clock: env.Clock, App: env.App}
		coord := env.Users["a/coordinator"].Actor("192.0.2.9")
		course := w.Course(coord, testworld.Standard{PassMark: 60})
		w.UpdateCourse(coord, course, catalog.CoursePatch{Translations: &catalog.Translations{"ru": {Title: russian}}})
		day := env.Clock.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
		c := w.Cohort(coord, testworld.Plan{Course: course, StartsOn: day, EndsOn: day})
		w.Sessions(coord, c, 1)
		w.Enroll(env.Users["a/trainee"].Actor("192.0.2.9"), c)
		speak(t, env, "a/trainee", "ru")

		trainee := env.As("a/trainee")
		want := course.Code + " " + russian + " · Topic 1"
		if got := summaries(t, trainee.Do("GET", "/api/v1/me/calendar.ics", nil)); len(got) != 1 || got[0] != want {
			t.Errorf("own feed summaries %q, want %q", got, want)
		}
		url := feedLink(t, trainee.Do("POST", "/api/v1/me/feed-token", nil))
		if got := summaries(t, env.Anonymous().Do("GET", url[strings.Index(url, "/feeds/"):], nil)); len(got) != 1 || got[0] != want {
			t.Errorf("private feed summaries %q, want %q", got, want)
		}
		if got := summaries(t, env.Anonymous().Do("GET", "/api/v1/cohorts/"+c.ID+"/calendar.ics", nil, "Accept-Language", "en")); len(got) != 1 ||
			got[0] != course.Code+" "+course.Title+" · Topic 1" {
			t.Errorf("English cohort feed summaries %q", got)
		}
	})
}

// feedLink is the private feed's link from the answer that made it.
func feedLink(t *testing.T, res *webtest.Response) string {
	t.Helper()
	u, _ := res.Map()["url"].(string)
	if res.Status != http.StatusCreated || !strings.Contains(u, "/feeds/") {
		t.Fatalf("feed token: %d %s", res.Status, res.Body)
	}
	return u
}
