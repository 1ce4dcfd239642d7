package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBadInputAnswersProblems sends malformed, mistyped, unknown, missing and
// oversized input and expects a precise 4xx problem document, never a 500.
func TestBadInputAnswersProblems(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	admin := env.As("a/admin")
	for _, tc := range []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		code, field        string
	}{
		{"malformed JSON", "POST", "/api/v1/agencies", `{bad`, nil, 400, "malformed", ""},
		{"empty body", "POST", "/api/v1/agencies", ``, nil, 400, "malformed", ""},
		{"trailing data", "POST", "/api/v1/agencies", `{"name":"x"} {}`, nil, 400, "malformed", ""},
		{"wrong type", "POST", "/api/v1/agencies", `{"name": 5}`, nil, 422, "invalid", "name"},
		{"unknown field", "POST", "/api/v1/agencies", `{"name":"x","short_name":"X","country":"IR","kind":"police","colour":"red"}`, nil, 422, "invalid", "colour"},
		{"missing fields", "POST", "/api/v1/agencies", `{}`, nil, 422, "invalid", "name"},
		{"bad country", "POST", "/api/v1/agencies", `{"name":"x","short_name":"X","country":"ZZ","kind":"police"}`, nil, 422, "invalid", "country"},
		{"array for object", "POST", "/api/v1/users", `[1,2]`, nil, 400, "malformed", ""},
		{"oversized", "POST", "/api/v1/agencies", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, nil, 413, "too_large", ""},
		{"form content type", "POST", "/api/v1/agencies", `{bad`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""},
		{"unknown id", "GET", "/api/v1/users/00000000-0000-0000-0000-000000000000", nil, nil, 404, "not_found", ""},
		{"garbage id", "GET", "/api/v1/users/'%20OR%201=1", nil, nil, 404, "not_found", ""},
		{"unknown route", "POST", "/api/v1/nowhere", `{bad`, nil, 404, "not_found", ""},
		{"wrong method", "DELETE", "/api/v1/agencies", nil, nil, 405, "method_not_allowed", ""},
		{"bad page number", "GET", "/api/v1/users?page=abc", nil, nil, 422, "invalid", "page"},
		{"bad page size names per_page", "GET", "/api/v1/courses?page=2&per_page=many", nil, nil, 422, "invalid", "per_page"},
		{"bad page size in certificates", "GET", "/api/v1/certificates?per_page=1e3x", nil, nil, 422, "invalid", "per_page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.Do(tc.method, tc.path, tc.body, tc.headers...)
			if res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			p := res.Map()
			if p["code"] != tc.code || p["status"] != float64(tc.status) || p["detail"] == "" || p["type"] == "" {
				t.Fatalf("problem %v", p)
			}
			if tc.field != "" {
				errs, _ := p["errors"].([]any)
				found := false
				for _, e := range errs {
					m := e.(map[string]any)
					found = found || (m["field"] == tc.field && m["message"] != "")
				}
				if !found {
					t.Fatalf("no message for field %s in %v", tc.field, p["errors"])
				}
			}
		})
	}
	// Field messages follow the language of the request.
	anon := env.Anonymous()
	res := anon.Do("POST", "/api/v1/auth/login", `{"email": 1}`, "Accept-Language", "ru")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "email") {
		t.Fatalf("localised problem: %d %s", res.Status, res.Body)
	}
}

// TestOversizedImportAnswers413: a CSV over the import limit is refused as
// too large, however deep in the file the limit is reached.
func TestOversizedImportAnswers413(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	body := "email,full_name\n" + strings.Repeat("someone@a.example,Some One\n", 9<<20/27)
	res := env.As("a/admin").Do("POST", "/api/v1/users/import?dry_run=1", body, "Content-Type", "text/csv")
	if res.Status != http.StatusRequestEntityTooLarge || res.Map()["code"] != "too_large" {
		t.Fatalf("oversized import: %d %.200s", res.Status, res.Body)
	}
}
