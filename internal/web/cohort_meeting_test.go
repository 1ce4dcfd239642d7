package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestSessionSeriesAndMeetingLinks: the API adds a repeating series with a
// meeting link and answers every session; the link reaches the enrolled
// trainee and the host, in the API and on the cohort page, and nobody else.
func TestSessionSeriesAndMeetingLinks(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
	first := c.StartsOn.Format("2006-01-02")
	coord := env.As("a/coordinator")
	res := coord.Do("POST", "/api/v1/cohorts/"+c.ID+"/sessions", `{"starts_at": "`+first+`T09:00", "ends_at": "`+first+`T11:00", "topic": "Briefing",
		"meeting_url": "https://meet.example/brief", "repeat": {"every": "day", "count": 3}}`)
	var made struct {
		Sessions []struct{ ID, MeetingURL string }
	}
	res.JSON(&made)
	if res.Status != http.StatusCreated || len(made.Sessions) != 3 {
		t.Fatalf("series: %d %s", res.Status, res.Body)
	}
	res = coord.Do("POST", "/api/v1/cohorts/"+c.ID+"/sessions", `{"starts_at": "`+first+`T12:00", "ends_at": "`+first+`T13:00", "topic": "X", "repeat": {"every": "year", "count": 2}}`)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"repeat.every"`) {
		t.Fatalf("bad repeat: %d %s", res.Status, res.Body)
	}

	trainee := env.As("a/trainee")
	trainee.Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}")
	for who, cl := range map[string]*webtest.Client{"host": coord, "enrolled": trainee, "other trainee": env.As("b/trainee"), "anonymous": env.Anonymous()} {
		sees := who == "host" || who == "enrolled"
		api := string(cl.Do("GET", "/api/v1/cohorts/"+c.ID+"/sessions", nil).Body)
		page := string(cl.Do("GET", "/cohorts/"+c.ID, nil).Body)
		if strings.Contains(api, "meet.example") != sees || strings.Contains(page, `href="https://meet.example/brief"`) != sees {
			t.Errorf("%s sees the meeting link: want %v; api %s", who, sees, api)
		}
	}
}
