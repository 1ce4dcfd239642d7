package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestNominatePagePartialCommit: the preview offers to nominate the valid
// lines of a list with bad ones; committing nominates them and keeps the
// refused lines on screen with their reasons.
func TestNominatePagePartialCommit(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
	coord := env.As("a/coordinator")
	page := "/manage/cohorts/" + c.ID + "/nominate"
	list := "a-trainee\nnobody@example.org\n"
	post := func(v url.Values) *webtest.Response {
		return coord.Do("POST", page, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	}
	res := post(url.Values{"list": {list}})
	if body := string(res.Body); res.Status != http.StatusOK || !strings.Contains(body, `id="commit"`) || !strings.Contains(body, "Nominate the 1 valid lines") {
		t.Fatalf("preview: %d %s", res.Status, body)
	}
	res = post(url.Values{"list": {list}, "commit": {"1"}})
	body := string(res.Body)
	if res.Status != http.StatusOK || !strings.Contains(body, `id="partly-done"`) || strings.Contains(body, `id="commit"`) || !strings.Contains(body, "row-error") {
		t.Fatalf("commit: %d %s", res.Status, body)
	}
	if got := coord.Do("GET", "/api/v1/cohorts/"+c.ID+"/enrollments?status=enrolled", nil).Map()["total"]; got != 1.0 {
		t.Fatalf("enrolled after the commit: %v", got)
	}
}
