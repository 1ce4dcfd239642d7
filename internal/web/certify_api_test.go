package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestCertifyAPIFlow records attendance and a result, previews and completes
// a cohort, lists, revokes and verifies its certificate, all over the API.
func TestCertifyAPIFlow(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	sc := newCertifyScene(t, env, "b")
	coord := env.As("b/coordinator")
	run := sc.running.ID

	res := coord.Do("PUT", "/api/v1/sessions/"+sc.session.ID+"/attendance",
		map[string]any{"records": []map[string]string{{"enrollment_id": sc.enrollment.ID, "status": "late"}}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"late"`) {
		t.Fatalf("attendance: %d %s", res.Status, res.Body)
	}
	res = coord.Do("PUT", "/api/v1/sessions/"+sc.session.ID+"/attendance", map[string]any{"records": []map[string]string{{"enrollment_id": sc.enrollment.ID, "status": "asleep"}}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "records[0].status") {
		t.Fatalf("bad mark: %d %s", res.Status, res.Body)
	}
	if res = coord.Do("PUT", "/api/v1/enrollments/"+sc.enrollment.ID+"/result", map[string]any{"score": 60}); res.Status != http.StatusOK {
		t.Fatalf("result: %d %s", res.Status, res.Body)
	}
	res = coord.Do("GET", "/api/v1/cohorts/"+run+"/completion", nil)
	if res.Status != http.StatusOK || res.Map()["passing"] != float64(1) || res.Map()["completed"] != false {
		t.Fatalf("preview: %d %s", res.Status, res.Body)
	}
	if starts := res.Map()["cohort"].(map[string]any)["starts_on"]; starts != sc.running.StartsOn.Format("2006-01-02") {
		t.Fatalf("dates are YYYY-MM-DD: starts_on %v", starts)
	}
	res = coord.Do("POST", "/api/v1/cohorts/"+run+"/complete", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("complete: %d %s", res.Status, res.Body)
	}
	var plan struct {
		Outcomes []struct{ Certificate, Result string }
	}
	res.JSON(&plan)
	if len(plan.Outcomes) != 1 || plan.Outcomes[0].Result != "completed" || plan.Outcomes[0].Certificate == "" {
		t.Fatalf("plan %s", res.Body)
	}
	number := plan.Outcomes[0].Certificate
	res = coord.Do("POST", "/api/v1/cohorts/"+run+"/complete", nil)
	if res.Status != http.StatusConflict || res.Map()["code"] != "cohort_already_completed" {
		t.Fatalf("second completion: %d %s", res.Status, res.Body)
	}
	res = coord.Do("PUT", "/api/v1/enrollments/"+sc.enrollment.ID+"/result", map[string]any{"score": 99})
	if res.Status != http.StatusConflict || res.Map()["code"] != "cohort_records_closed" {
		t.Fatalf("result after completion: %d %s", res.Status, res.Body)
	}

	// hr of the holder's agency lists it with filters.
	hr := env.As("b/hr")
	res = hr.Do("GET", "/api/v1/certificates?status=valid&course="+sc.course.Code+"&per_page=1", nil)
	if res.Status != http.StatusOK || res.Map()["total"] != float64(2) || len(res.Map()["items"].([]any)) != 1 {
		t.Fatalf("hr list: %d %s", res.Status, res.Body)
	}
	res = hr.Do("GET", "/api/v1/certificates?status=lost", nil)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d %s", res.Status, res.Body)
	}
	res = env.As("b/trainee").Do("GET", "/api/v1/certificates/"+number, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("holder reads own: %d %s", res.Status, res.Body)
	}
	cert := res.Map()
	for _, k := range []string{"number", "verification_code", "holder_name", "course_code", "course_title", "cohort_code", "issued_on", "expires_on", "status", "renews", "renewed_by"} {
		if _, ok := cert[k]; !ok {
			t.Errorf("certificate lacks %q: %s", k, res.Body)
		}
	}
	code := cert["verification_code"].(string)

	res = env.Anonymous().Do("GET", "/api/v1/verify/"+code, nil)
	if res.Status != http.StatusOK || res.Map()["status"] != "valid" {
		t.Fatalf("verify: %d %s", res.Status, res.Body)
	}
	// The agencies are named (a checker needs them); ids, contact and service details are not.
	for _, secret := range []string{env.Users["b/trainee"].Email, env.Users["b/trainee"].ServiceNumber, env.Agencies["b"].ID, code} {
		if strings.Contains(string(res.Body), secret) {
			t.Errorf("verification reveals %q: %s", secret, res.Body)
		}
	}
	if res = coord.Do("POST", "/api/v1/certificates/"+number+"/revoke", map[string]any{"reason": "Identity fraud", "public": false}); res.Status != http.StatusOK {
		t.Fatalf("revoke: %d %s", res.Status, res.Body)
	}
	res = env.Anonymous().Do("GET", "/api/v1/verify/"+code, nil)
	if res.Map()["status"] != "revoked" || strings.Contains(string(res.Body), "Identity fraud") {
		t.Fatalf("verify after revocation: %s", res.Body)
	}
	if res = env.Anonymous().Do("GET", "/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAA", nil); res.Status != http.StatusNotFound {
		t.Fatalf("unknown code: %d", res.Status)
	}
}

// TestVerificationIsRateLimited shows a client cannot try codes quickly: past
// the burst it gets 429 rate_limited with Retry-After, on the page and the API.
func TestVerificationIsRateLimited(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.Anonymous()
	var limited *webtest.Response
	for i := range 40 {
		path := "/api/v1/verify/AAAAAAAAAAAAAAAAAAAA" + string(rune('A'+i%26)) + "A"
		if i%2 == 1 {
			path = "/verify/AAAAAAAAAAAAAAAAAAAA" + string(rune('A'+i%26)) + "B"
		}
		res := c.Do("GET", path, nil)
		if res.Status == http.StatusTooManyRequests {
			limited = res
			if i < 20 {
				t.Fatalf("limited after only %d requests", i)
			}
			break
		}
		if res.Status != http.StatusNotFound {
			t.Fatalf("request %d: %d", i, res.Status)
		}
	}
	if limited == nil {
		t.Fatal("40 quick guesses were never limited")
	}
	if limited.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	res := c.Do("GET", "/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAA", nil)
	if res.Status != http.StatusTooManyRequests || res.Map()["code"] != "rate_limited" {
		t.Fatalf("after the limit: %d %s", res.Status, res.Body)
	}
}
