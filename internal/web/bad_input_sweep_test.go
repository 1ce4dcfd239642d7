package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/seed"
	"muster/internal/web"
	"muster/internal/webtest"
)

// TestEveryWriteRouteRefusesBadBodies sends malformed, mistyped and
// control-character bodies to every state-changing API route, naming real
// records of the demo programme, as an administrator, and accepts no 5xx.
func TestEveryWriteRouteRefusesBadBodies(t *testing.T) {
	dbtest.Each(t, sweepBadBodies)
}

func sweepBadBodies(t *testing.T, gdb *gorm.DB) {
	env := webtest.Serve(t, gdb, clock.NewFixed(time.Now()))
	if _, err := seed.Demo(context.Background(), env.App.Identity, env.App.Courses); err != nil {
		t.Fatal(err)
	}
	admin := env.Anonymous()
	admin.Login("admin@anp.example.ir", seed.DemoPassword)
	trainee := env.Anonymous()
	trainee.Login("trainee@anp.example.ir", seed.DemoPassword)

	first := func(path, field string) string {
		t.Helper()
		var page struct{ Items []map[string]any }
		admin.Do("GET", path, nil).JSON(&page)
		if len(page.Items) == 0 {
			t.Fatalf("no items at %s", path)
		}
		return page.Items[0][field].(string)
	}
	cohortID := first("/api/v1/cohorts", "id")
	sessionID := first("/api/v1/cohorts/"+cohortID+"/sessions", "id")
	var enrolled struct{ ID string }
	trainee.Do("POST", "/api/v1/cohorts/"+cohortID+"/enrollments", "{}").JSON(&enrolled)
	ids := strings.NewReplacer(
		"/cohorts/:id", "/cohorts/"+cohortID,
		"/sessions/:id", "/sessions/"+sessionID,
		"/enrollments/:id", "/enrollments/"+enrolled.ID,
		"/instructors/:id", "/instructors/"+first("/api/v1/instructors", "user_id"),
		"/users/:id", "/users/"+first("/api/v1/users?role=trainee", "id"),
		"/agencies/:id", "/agencies/"+first("/api/v1/agencies", "id"),
		"/venues/:id", "/venues/"+first("/api/v1/venues", "id"),
		":code", "CN-101", ":number", "MUS-2026-000001", ":id", "0193a3c0-0000-7000-8000-000000000000",
		":instructor_id", "0193a3c0-0000-7000-8000-000000000001", ":period_id", "0193a3c0-0000-7000-8000-000000000002")
	bodies := []string{`{bad`, `[1,2,3]`, `{"a":`, `"text"`, `{"reason": 5, "score": "high", "seats": "x", "records": {}, "quotas": 7, "status": 3}`,
		"{\"reason\":\"x\u0000\",\"name\":\"y\u0000\"}"}
	srv := env.Server.Config.Handler.(*web.Server)
	for _, r := range srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == "GET" || r.Method == "HEAD" || strings.HasSuffix(r.Path, "/logout") {
			continue
		}
		path := ids.Replace(r.Path)
		for _, body := range bodies {
			if res := admin.Do(r.Method, path, body); res.Status >= 500 {
				t.Errorf("%s %s with %q: %d %s", r.Method, path, body, res.Status, res.Body)
			}
		}
	}
}
