package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestRoleHomes: after signing in, "/" shows each role its own work; a
// visitor still gets the public home.
func TestRoleHomes(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), b, 6, map[string]int{a: 3, b: 3})
	if res := env.As("b/coordinator").Do("PATCH", "/api/v1/cohorts/"+c.ID, map[string]any{"requires_approval": true}); res.Status != 200 {
		t.Fatalf("requiring approval: %d", res.Status)
	}
	env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}")
	env.As("a/hr").Do("GET", "/api/v1/exports/certificates?format=csv", nil)

	sections := []string{"home-trainee", "home-coordinator", "home-instructor", "home-hr", "home-agency-admin"}
	for _, tc := range []struct {
		role, section string
		want          []string
	}{
		{"trainee", "home-trainee", []string{c.Code, "Pending approval"}},
		{"coordinator", "home-coordinator", []string{"Requests waiting for approval: 1", "A trainee", c.Code, "A-AG 0/3"}},
		{"instructor", "home-instructor", []string{"Next sessions"}},
		{"hr", "home-hr", []string{"exported the certificates"}},
		{"agency_admin", "home-agency-admin", []string{"People without a second factor", "A trainee"}},
	} {
		res := env.As("a/"+tc.role).Do("GET", "/", nil)
		body := string(res.Body)
		if res.Status != http.StatusOK {
			t.Fatalf("%s home: %d", tc.role, res.Status)
		}
		for _, s := range sections {
			if strings.Contains(body, `id="`+s+`"`) != (s == tc.section) {
				t.Errorf("%s home: section %s shown=%v", tc.role, s, !(s == tc.section))
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s home lacks %q", tc.role, w)
			}
		}
	}
	if body := string(env.Anonymous().Do("GET", "/", nil).Body); !strings.Contains(body, "Joint training for partner agencies") {
		t.Fatal("the visitor's home changed")
	}
}
