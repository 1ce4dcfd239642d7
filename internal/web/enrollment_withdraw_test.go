package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestWithdrawAsksFirst: the Withdraw button leads to a question; only the
// confirmed form withdraws.
func TestWithdrawAsksFirst(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 3, nil)
	trainee := env.As("a/trainee")
	id := trainee.Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)
	form := "application/x-www-form-urlencoded"

	res := trainee.Do("POST", "/enrollments/"+id+"/withdraw", "next=/me/training", "Content-Type", form)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="withdraw-question"`) || !strings.Contains(string(res.Body), `name="confirm" value="yes"`) {
		t.Fatalf("first press: %d %s", res.Status, res.Body)
	}
	if got := trainee.Do("GET", "/api/v1/enrollments/"+id, nil).Map()["status"]; got != "enrolled" {
		t.Fatalf("status after the question: %v", got)
	}
	// Someone else's enrollment is not found, question or not.
	if res := env.As("b/trainee").Do("POST", "/enrollments/"+id+"/withdraw", "", "Content-Type", form); res.Status != http.StatusNotFound {
		t.Fatalf("another trainee: %d", res.Status)
	}
	res = trainee.Do("POST", "/enrollments/"+id+"/withdraw", "confirm=yes&next=/me/training&reason=Posted+abroad", "Content-Type", form)
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me/training" {
		t.Fatalf("confirmed: %d", res.Status)
	}
	if got := trainee.Do("GET", "/api/v1/enrollments/"+id, nil).Map()["status"]; got != "withdrawn" {
		t.Fatalf("status after confirming: %v", got)
	}
}
