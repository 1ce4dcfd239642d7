package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/webtest"
)

// TestDecisionsAPI: POST /cohorts/{id}/decisions decides each request on
// its own and answers {"results": [{id, status, code}]}, a refusal with its
// translated message; a malformed call is a 422 naming the fields.
func TestDecisionsAPI(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 2, map[string]int{a: 1, b: 1})
	if res := env.As("a/coordinator").Do("PATCH", "/api/v1/cohorts/"+c.ID, map[string]any{"requires_approval": true}); res.Status != 200 {
		t.Fatalf("requiring approval: %d", res.Status)
	}
	ra := env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)
	rb := env.As("b/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)

	coord := env.As("a/coordinator")
	res := coord.Do("POST", "/api/v1/cohorts/"+c.ID+"/decisions", `{"approve": ["`+ra+`", "`+rb+`"]}`)
	var got struct {
		Results []struct{ ID, Status, Code, Message string }
	}
	res.JSON(&got)
	if res.Status != http.StatusOK || len(got.Results) != 2 {
		t.Fatalf("decisions: %d %s", res.Status, res.Body)
	}
	if r := got.Results[0]; r.ID != ra || r.Status != enrollment.StatusEnrolled || r.Code != "" {
		t.Fatalf("own trainee: %+v", r)
	}
	if r := got.Results[1]; r.ID != rb || r.Code != "forbidden" || r.Message != "You do not have permission to do this." {
		t.Fatalf("partner's trainee: %+v", r)
	}
	res = coord.Do("POST", "/api/v1/cohorts/"+c.ID+"/decisions", `{"reject": [{"id": "`+rb+`"}]}`)
	if p := res.Map(); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"reject[0].reason"`) || p["code"] != "invalid" {
		t.Fatalf("rejection without reason: %d %s", res.Status, res.Body)
	}
	res = coord.Do("POST", "/api/v1/cohorts/"+c.ID+"/decisions", `{"approve": "x"}`)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("malformed: %d %s", res.Status, res.Body)
	}
	// b's coordinator rejects b's trainee with a reason.
	res = env.As("b/coordinator").Do("POST", "/api/v1/cohorts/"+c.ID+"/decisions", `{"reject": [{"id": "`+rb+`", "reason": "Needed at home"}]}`)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"rejected"`) {
		t.Fatalf("b rejects: %d %s", res.Status, res.Body)
	}
}

// TestDecisionsPage: the bulk form approves the ticked requests, reports
// each, and asks for a reason before rejecting, keeping the ticks.
func TestDecisionsPage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a := env.Agencies["a"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 5, nil)
	if res := env.As("a/coordinator").Do("PATCH", "/api/v1/cohorts/"+c.ID, map[string]any{"requires_approval": true}); res.Status != 200 {
		t.Fatalf("requiring approval: %d", res.Status)
	}
	ra := env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)
	rb := env.As("b/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)
	coord := env.As("a/coordinator")
	page := "/manage/cohorts/" + c.ID + "/decisions"
	res := coord.Do("GET", page, nil)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), ra) || strings.Contains(string(res.Body), rb) {
		t.Fatalf("the page lists the coordinator's own agency's requests only: %d", res.Status)
	}
	form := func(v url.Values) *webtest.Response {
		return coord.Do("POST", page, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	res = form(url.Values{"id": {ra}, "decision": {"reject"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="reason-error"`) || !strings.Contains(string(res.Body), `value="`+ra+`" id="pick-`+ra+`" checked`) {
		t.Fatalf("reject without reason: %d %s", res.Status, res.Body)
	}
	res = form(url.Values{"id": {ra}, "decision": {"reject"}, "reason": {"Quota used"}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="confirm-bulk-reject"`) || !strings.Contains(string(res.Body), `id="request-`+ra+`"`) {
		t.Fatalf("a bulk rejection asks first and changes nothing: %d %s", res.Status, res.Body)
	}
	if e, err := env.App.Enroll.Get(context.Background(), access.System(), ra); err != nil || e.Status != enrollment.StatusPending {
		t.Fatalf("asking decided: %+v %v", e, err)
	}
	res = form(url.Values{"id": {ra}, "decision": {"reject"}, "reason": {"Quota used"}, "confirm": {"yes"}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="decision-results"`) || !strings.Contains(string(res.Body), "Rejected") {
		t.Fatalf("confirmed rejection: %d %s", res.Status, res.Body)
	}
	ra = env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", "{}").Map()["id"].(string)
	res = form(url.Values{"decision": {"approve"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="id-error"`) {
		t.Fatalf("nothing ticked: %d", res.Status)
	}
	res = form(url.Values{"id": {ra}, "decision": {"approve"}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="decision-results"`) || !strings.Contains(string(res.Body), "Enrolled") {
		t.Fatalf("approve: %d %s", res.Status, res.Body)
	}
	if !strings.Contains(string(res.Body), `id="no-pending"`) {
		t.Fatal("the approved request is still listed as pending")
	}
}
