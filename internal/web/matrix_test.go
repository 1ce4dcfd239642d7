package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"muster/internal/catalog"
	"muster/internal/db/dbtest"
	"muster/internal/web"
	"muster/internal/webtest"
)

// who asks, in the order of each row's statuses.
var who = []string{"anonymous", "admin", "coordinator", "instructor", "hr", "trainee", "agency_admin"}

// access lists every route with the status each kind of caller gets. Calls
// name records of the other agency ("b"), so scoped routes answer 404 to
// agency a's coordinators and hr. Bodies are empty: allowed callers get the
// validation answer, 422, rather than a change.
// matrixRow is one route's expected statuses; each capability's rows are in
// its matrix_<capability>_test.go and listed in extraMatrix.
type matrixRow struct {
	method, pattern, path string
	body                  string
	want                  [7]int
}

// matrixFixtures create records for capability rows and return the
// placeholders ("{cohort b}") their paths use, with the values to put there.
var matrixFixtures = []func(t *testing.T, env *webtest.Env) map[string]string{
	certifyMatrixFixture, cohortMatrixFixture, credentialMatrixFixture, enrollmentMatrixFixture,
}

// extraMatrix holds the rows of the capabilities; they run before the
// sign-out rows.
var extraMatrix = slices.Concat(certifyMatrixRows, cohortMatrixRows, credentialMatrixRows, documentMatrixRows, enrollmentMatrixRows, exportMatrixRows, notifyMatrixRows)

var accessMatrix = []matrixRow{
	{"GET", "/healthz", "/healthz", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/readyz", "/readyz", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/metrics", "/metrics", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/static/*filepath", "/static/css/muster.css", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"HEAD", "/static/*filepath", "/static/css/muster.css", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/", "/", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/login", "/login", "", [7]int{200, 303, 303, 303, 303, 303, 303}},
	{"POST", "/login", "/login", "email=&password=", [7]int{401, 401, 401, 401, 401, 401, 401}},
	{"GET", "/login/mfa", "/login/mfa", "", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"POST", "/login/mfa", "/login/mfa", "code=", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"GET", "/password-reset", "/password-reset", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"POST", "/password-reset", "/password-reset", "email=", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"GET", "/password-reset/confirm", "/password-reset/confirm", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"POST", "/password-reset/confirm", "/password-reset/confirm", "token=&new_password=", [7]int{422, 422, 422, 422, 422, 422, 422}},
	{"GET", "/me/mfa", "/me/mfa", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/mfa/totp", "/me/mfa/totp", "", [7]int{303, 409, 409, 200, 409, 200, 409}},
	{"POST", "/me/mfa/totp/confirm", "/me/mfa/totp/confirm", "code=", [7]int{303, 409, 409, 422, 409, 422, 409}},
	{"POST", "/me/mfa/remove", "/me/mfa/remove", "password=&code=", [7]int{303, 422, 422, 422, 422, 422, 422}},
	{"POST", "/lang", "/lang", "lang=en", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"GET", "/me", "/me", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/preferences", "/me/preferences", "time_zone=&calendar=", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"GET", "/me/password", "/me/password", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/password", "/me/password", "current_password=&new_password=", [7]int{303, 422, 422, 422, 422, 422, 422}},
	{"POST", "/me/tokens", "/me/tokens", "name=", [7]int{303, 422, 422, 403, 422, 403, 422}},
	{"POST", "/me/tokens/:id/revoke", "/me/tokens/{token}/revoke", "", [7]int{303, 404, 404, 404, 404, 404, 404}},
	{"GET", "/manage/users", "/manage/users", "", [7]int{303, 200, 200, 403, 200, 403, 200}},
	{"GET", "/manage/users/new", "/manage/users/new", "", [7]int{303, 200, 200, 403, 200, 403, 200}},
	{"POST", "/manage/users", "/manage/users", "email=", [7]int{303, 422, 422, 403, 422, 403, 422}},
	{"GET", "/manage/users/import", "/manage/users/import", "", [7]int{303, 200, 200, 403, 200, 403, 200}},
	{"POST", "/manage/users/import", "/manage/users/import", "csv=", [7]int{303, 422, 422, 403, 422, 403, 422}},
	{"GET", "/manage/users/:id", "/manage/users/{b/trainee}", "", [7]int{303, 200, 404, 403, 404, 403, 404}},
	{"POST", "/manage/users/:id", "/manage/users/{b/trainee}", "email=", [7]int{303, 422, 404, 403, 404, 403, 404}},
	{"POST", "/manage/users/:id/reset-password", "/manage/users/{b/trainee}/reset-password", "", [7]int{303, 303, 403, 403, 403, 403, 404}},
	{"POST", "/manage/users/:id/mfa-reset", "/manage/users/{b/trainee}/mfa-reset", "", [7]int{303, 303, 403, 403, 403, 403, 404}},
	{"POST", "/manage/users/:id/pseudonymise", "/manage/users/{b/trainee}/pseudonymise", "", [7]int{303, 422, 403, 403, 403, 403, 404}},
	{"GET", "/manage/audit", "/manage/audit", "", [7]int{303, 200, 200, 403, 200, 403, 200}},
	{"GET", "/courses", "/courses", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/courses/:code", "/courses/BX-101", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/manage/courses/new", "/manage/courses/new", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/courses", "/manage/courses", "code=", [7]int{303, 422, 422, 403, 403, 403, 403}},
	{"GET", "/manage/courses/:code/edit", "/manage/courses/BX-101/edit", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/courses/:code", "/manage/courses/BX-101", "title=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/agencies", "/manage/agencies", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/agencies", "/manage/agencies", "name=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/agencies/:id", "/manage/agencies/{agency b}", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/agencies/:id", "/manage/agencies/{agency b}", "name=", [7]int{303, 422, 403, 403, 403, 403, 403}},

	{"POST", "/api/v1/auth/login", "/api/v1/auth/login", "{}", [7]int{401, 401, 401, 401, 401, 401, 401}},
	{"POST", "/api/v1/auth/mfa", "/api/v1/auth/mfa", "{}", [7]int{401, 401, 401, 401, 401, 401, 401}},
	{"POST", "/api/v1/auth/password-reset", "/api/v1/auth/password-reset", "{}", [7]int{202, 202, 202, 202, 202, 202, 202}},
	{"POST", "/api/v1/auth/password-reset/confirm", "/api/v1/auth/password-reset/confirm", "{}", [7]int{422, 422, 422, 422, 422, 422, 422}},
	{"POST", "/api/v1/me/mfa/totp", "/api/v1/me/mfa/totp", "", [7]int{401, 409, 409, 200, 409, 200, 409}},
	{"POST", "/api/v1/me/mfa/totp/confirm", "/api/v1/me/mfa/totp/confirm", "{}", [7]int{401, 409, 409, 422, 409, 422, 409}},
	{"DELETE", "/api/v1/me/mfa", "/api/v1/me/mfa", "{}", [7]int{401, 422, 422, 422, 422, 422, 422}},
	{"GET", "/api/v1/me", "/api/v1/me", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"PATCH", "/api/v1/me", "/api/v1/me", "{}", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/me/password", "/api/v1/me/password", "{}", [7]int{401, 422, 422, 422, 422, 422, 422}},
	{"GET", "/api/v1/tokens", "/api/v1/tokens", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/tokens", "/api/v1/tokens", "{}", [7]int{401, 422, 422, 403, 422, 403, 422}},
	{"DELETE", "/api/v1/tokens/:id", "/api/v1/tokens/{token}", "", [7]int{401, 404, 404, 404, 404, 404, 404}},
	{"GET", "/api/v1/agencies", "/api/v1/agencies", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/agencies", "/api/v1/agencies", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/agencies/:id", "/api/v1/agencies/{agency b}", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"PATCH", "/api/v1/agencies/:id", "/api/v1/agencies/{agency b}", "{}", [7]int{401, 200, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/users", "/api/v1/users", "", [7]int{401, 200, 200, 403, 200, 403, 200}},
	{"POST", "/api/v1/users", "/api/v1/users", "{}", [7]int{401, 422, 422, 403, 422, 403, 422}},
	{"POST", "/api/v1/users/import", "/api/v1/users/import", "{}", [7]int{401, 422, 422, 403, 422, 403, 422}},
	{"GET", "/api/v1/users/:id", "/api/v1/users/{b/trainee}", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
	{"PATCH", "/api/v1/users/:id", "/api/v1/users/{b/trainee}", "{}", [7]int{401, 200, 404, 403, 404, 403, 404}},
	{"POST", "/api/v1/users/:id/reset-password", "/api/v1/users/{b/trainee}/reset-password", "", [7]int{401, 202, 403, 403, 403, 403, 404}},
	{"POST", "/api/v1/users/:id/mfa/reset", "/api/v1/users/{b/trainee}/mfa/reset", "", [7]int{401, 204, 403, 403, 403, 403, 404}},
	{"GET", "/api/v1/audit-events", "/api/v1/audit-events", "", [7]int{401, 200, 200, 403, 200, 403, 200}},
	{"GET", "/api/v1/courses", "/api/v1/courses", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/courses", "/api/v1/courses", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"GET", "/api/v1/courses/:code", "/api/v1/courses/BX-101", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/courses/:code", "/api/v1/courses/BX-102", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"PATCH", "/api/v1/courses/:code", "/api/v1/courses/BX-101", "{}", [7]int{401, 200, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/openapi.json", "/api/v1/openapi.json", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api-reference", "/api-reference", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
}

// signOutMatrix runs last, as it ends the sessions.
var signOutMatrix = []matrixRow{
	{"POST", "/logout", "/logout", "", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"POST", "/api/v1/auth/logout", "/api/v1/auth/logout", "", [7]int{401, 401, 401, 401, 401, 401, 401}},
}

// TestAccessMatrix walks every registered route with every role of agency a
// and checks the status each gets. A new route fails this test until it is
// added to the matrix.
func TestAccessMatrix(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	srv, ok := env.Server.Config.Handler.(*web.Server)
	if !ok {
		t.Fatal("handler is not a *web.Server")
	}
	rows := append(append(append([]matrixRow{}, accessMatrix...), extraMatrix...), signOutMatrix...)
	known := map[string]bool{}
	for _, row := range rows {
		known[row.method+" "+row.pattern] = true
	}
	for _, r := range srv.Routes() {
		if !known[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is not in the access matrix", r.Method, r.Path)
		}
	}
	// Agency b owns a published course, BX-101, and a draft, BX-102.
	coordB := env.Users["b/coordinator"].Actor("192.0.2.1")
	for _, c := range []catalog.CourseInput{
		{Code: "BX-101", Title: "Border basics", Discipline: "border_security", Level: "basic", Delivery: "in_person", DurationHours: 20, Languages: []string{"tg"}, Status: "published"},
		{Code: "BX-102", Title: "Border draft", Discipline: "border_security", Level: "basic", Delivery: "in_person", DurationHours: 20, Languages: []string{"tg"}},
	} {
		if _, err := env.App.Courses.Create(context.Background(), coordB, c); err != nil {
			t.Fatal(err)
		}
	}
	clients := map[string]*webtest.Client{"anonymous": env.Anonymous()}
	for _, role := range who[1:] {
		clients[role] = env.As("a/" + role)
	}
	pairs := []string{
		"{b/trainee}", env.Users["b/trainee"].ID,
		"{agency b}", env.Agencies["b"].ID,
		"{token}", "0193a3c0-0000-7000-8000-000000000000",
	}
	for _, fixture := range matrixFixtures {
		for k, v := range fixture(t, env) {
			pairs = append(pairs, k, v)
		}
	}
	replacer := strings.NewReplacer(pairs...)
	for _, row := range rows {
		path := replacer.Replace(row.path)
		for i, role := range who {
			c := clients[role]
			if role == "anonymous" {
				c = env.Anonymous() // no cookie left over from an earlier page
			}
			var res *webtest.Response
			switch {
			case row.body == "":
				res = c.Do(row.method, path, nil)
			case strings.HasPrefix(path, "/api/"):
				res = c.Do(row.method, path, row.body)
			default:
				res = c.Do(row.method, path, row.body, "Content-Type", "application/x-www-form-urlencoded")
			}
			if res.Status != row.want[i] {
				t.Errorf("%s %s as %s: %d, want %d", row.method, row.path, role, res.Status, row.want[i])
			}
			if res.Status == http.StatusInternalServerError {
				t.Errorf("%s %s as %s: 500 %s", row.method, row.path, role, res.Body)
			}
		}
	}
}
