package web_test

import (
	"net/http"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestRejectReasonWithNUL: a reason typed with a NUL byte is cleaned, not
// a 500 on PostgreSQL.
func TestRejectReasonWithNUL(t *testing.T) {
	env := webtest.Start(t, dbtest.Postgres(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
	var e struct{ ID string }
	env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").JSON(&e)
	res := env.As("a/coordinator").Do("POST", "/api/v1/enrollments/"+e.ID+"/reject", "{\"reason\":\"full\\u0000 list\"}")
	if res.Status != http.StatusOK {
		t.Fatalf("reject: %d %s", res.Status, res.Body)
	}
}
