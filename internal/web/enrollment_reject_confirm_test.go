package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestRejectAsksFirst: the first press of Reject shows whose request it is
// and changes nothing; the confirmed form rejects.
func TestRejectAsksFirst(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a := env.Agencies["a"].ID
	ap := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 5, nil)
	approval := true
	if _, err := env.App.Cohorts.Update(context.Background(), access.System(), ap.ID, cohort.CohortPatch{RequiresApproval: &approval}); err != nil {
		t.Fatal(err)
	}
	res := env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+ap.ID+"/enrollments", nil)
	id, _ := res.Map()["id"].(string)
	coord := env.As("a/coordinator")
	form := func(v url.Values) *webtest.Response {
		return coord.Do("POST", "/manage/enrollments/"+id+"/reject", v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	res = form(url.Values{"reason": {"Quota used"}, "next": {"/manage/approvals"}})
	body := string(res.Body)
	if res.Status != http.StatusOK || !strings.Contains(body, `id="reject-question"`) || !strings.Contains(body, "A trainee") ||
		!strings.Contains(body, `value="Quota used"`) || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("no question before rejecting: %d\n%s", res.Status, body)
	}
	if d := env.As("a/trainee").Do("GET", "/api/v1/enrollments/"+id, nil).Map(); d["status"] != "pending" {
		t.Fatalf("the question changed the request: %v", d["status"])
	}
	if res := form(url.Values{"reason": {"Quota used"}, "confirm": {"yes"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", res.Status)
	}
	if d := env.As("a/trainee").Do("GET", "/api/v1/enrollments/"+id, nil).Map(); d["status"] != "rejected" {
		t.Fatalf("after confirming: %v", d["status"])
	}
}
