package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/web"
	"muster/internal/webtest"
)

// TestEveryRouteParamHasAFormat: a route whose path parameter has no
// declared shape would pass any text to its handler.
func TestEveryRouteParamHasAFormat(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	for _, r := range env.Server.Config.Handler.(*web.Server).Routes() {
		for _, seg := range strings.Split(r.Path, "/") {
			if name, ok := strings.CutPrefix(seg, ":"); ok {
				if _, known := web.ParamFormats[name]; !known {
					t.Errorf("%s %s: parameter %q has no format in paramFormats", r.Method, r.Path, name)
				}
			}
		}
	}
}

// TestHostileInputAnswers: what the review found answering 500 answers a
// precise client error, the same on both databases.
func TestHostileInputAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		anon, admin := env.Anonymous(), env.As("a/admin")
		for _, tc := range []struct {
			c            *webtest.Client
			method, path string
			body         any
			status       int
			field, msg   string
		}{
			{anon, "GET", "/api/v1/courses?q=%00", nil, 422, "q", "Contains characters that are not allowed."},
			{anon, "GET", "/api/v1/courses?q=%FF", nil, 422, "q", "Contains characters that are not allowed."},
			{anon, "GET", "/courses/CN%00", nil, 404, "", ""},
			{anon, "GET", "/api/v1/courses/cn-101%FF", nil, 404, "", ""},
			{anon, "POST", "/api/v1/auth/login", `{"email":"admin@a.example\u0000","password":"x"}`, 401, "", ""},
			{admin, "GET", "/api/v1/users/not-a-uuid", nil, 404, "", ""},
			{admin, "GET", "/api/v1/certificates/MUS-2026-00000%00", nil, 404, "", ""},
			{admin, "DELETE", "/api/v1/tokens/not-a-uuid", nil, 404, "", ""},
			{admin, "GET", "/api/v1/audit-events?actor=not-a-uuid", nil, 422, "actor", "Must be a valid identifier."},
			{admin, "GET", "/api/v1/audit-events?from=yesterday", nil, 422, "from", "This value is not valid."},
			{admin, "GET", "/api/v1/audit-events?page=two", nil, 422, "page", "Must be a number."},
			{admin, "GET", "/api/v1/users?agency=x", nil, 422, "agency", "Must be a valid identifier."},
			{admin, "POST", "/api/v1/users", map[string]any{"email": "rlo@a.example", "full_name": "John\u202e htimS\u202c", "roles": []string{"trainee"}},
				422, "full_name", "Must not contain invisible characters that change the order of the text."},
			{admin, "POST", "/api/v1/users", map[string]any{"email": "r\u202elo@a.example", "full_name": "John Smith", "roles": []string{"trainee"}},
				422, "email", ""},
			{admin, "POST", "/api/v1/users", map[string]any{"email": "x@a.example", "full_name": "X", "agency_id": "not-a-uuid", "roles": []string{"trainee"}},
				422, "agency_id", "Must be a valid identifier."},
			{admin, "POST", "/api/v1/agencies", map[string]any{"name": "Border\u2067 Guard", "short_name": "BG", "country": "TJ", "kind": "police"},
				422, "name", "Must not contain invisible characters that change the order of the text."},
			{admin, "PATCH", "/api/v1/instructors/" + env.Users["a/instructor"].ID, `{"bio":"Teaches\u0000 patrols"}`, 200, "", ""},
		} {
			res := tc.c.Do(tc.method, tc.path, tc.body, "Accept-Language", "en")
			if res.Status != tc.status {
				t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, res.Status, res.Body, tc.status)
				continue
			}
			if tc.field == "" {
				continue
			}
			var p web.Problem
			res.JSON(&p)
			if len(p.Errors) == 0 || p.Errors[0].Field != tc.field || (tc.msg != "" && p.Errors[0].Message != tc.msg) {
				t.Errorf("%s %s: errors %+v, want %s %q", tc.method, tc.path, p.Errors, tc.field, tc.msg)
			}
		}
		var bio string
		gdb.Table("instructor_profiles").Where("user_id = ?", env.Users["a/instructor"].ID).Select("bio").Scan(&bio)
		if bio != "Teaches patrols" {
			t.Errorf("stored bio %q", bio)
		}
		if res := admin.Do("POST", "/manage/users", "email=nul%40a.example&full_name=N%00ul&roles=trainee",
			"Content-Type", "application/x-www-form-urlencoded"); res.Status >= 500 {
			t.Errorf("form with NUL: %d", res.Status)
		}
	})
}

// TestVerificationShowsNoReorderedName: a holder name stored with override
// characters, from before they were refused, is shown without them.
func TestVerificationShowsNoReorderedName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		sc := newCertifyScene(t, env, "a")
		if err := gdb.Table("certificates").Where("number = ?", sc.certificate.Number).
			Update("holder_name", "John\u202e htimS\u202c").Error; err != nil {
			t.Fatal(err)
		}
		var v struct {
			HolderName string `json:"holder_name"`
		}
		env.Anonymous().Do("GET", "/api/v1/verify/"+sc.certificate.VerificationCode, nil).JSON(&v)
		if v.HolderName != "John htimS" {
			t.Errorf("API holder name %q", v.HolderName)
		}
		page := env.Anonymous().Do("GET", "/verify/"+sc.certificate.VerificationCode, nil)
		if page.Status != http.StatusOK || strings.Contains(string(page.Body), "\u202e") || !strings.Contains(string(page.Body), "John htimS") {
			t.Errorf("verification page: %d, override kept or name missing", page.Status)
		}
	})
}
