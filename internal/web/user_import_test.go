package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestImportExplainsEachRow: a bad row's reasons are named by column and
// told in the reader's chosen language, in the dry run's answer and on the page.
func TestImportExplainsEachRow(t *testing.T) {
	csv := "email,full_name\n" +
		"good@a.example,Good One\n" +
		"not-an-email,Bad Address\n" +
		"other@a.example,\n"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		hr := env.As("a/hr")
		for _, tc := range []struct{ lang, email string }{
			{"en", "Enter a valid email address."},
			{"ru", "Введите корректный адрес электронной почты."},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				if res := hr.Do("PATCH", "/api/v1/me", map[string]any{"language": tc.lang}); res.Status != http.StatusOK {
					t.Fatalf("language: %d %s", res.Status, res.Body)
				}
				res := hr.Do("POST", "/api/v1/users/import?dry_run=1", csv, "Content-Type", "text/csv")
				var plan struct {
					Rows []struct {
						Line   int    `json:"line"`
						Action string `json:"action"`
						Errors []struct {
							Field, Code, Message string
						} `json:"errors"`
					} `json:"rows"`
					Created, Failed int
				}
				res.JSON(&plan)
				if res.Status != http.StatusOK || plan.Created != 1 || plan.Failed != 2 || len(plan.Rows) != 3 {
					t.Fatalf("dry run: %d %s", res.Status, res.Body)
				}
				if r := plan.Rows[0]; r.Action != "create" || len(r.Errors) != 0 {
					t.Errorf("good row: %+v", r)
				}
				bad := plan.Rows[1]
				if bad.Line != 3 || bad.Action != "error" || len(bad.Errors) != 1 {
					t.Fatalf("bad address row: %+v", bad)
				}
				if e := bad.Errors[0]; e.Field != "email" || e.Code != "validation.email" || e.Message != tc.email {
					t.Errorf("bad address reason: %+v", e)
				}
				if r := plan.Rows[2]; len(r.Errors) != 1 || r.Errors[0].Field != "full_name" || r.Errors[0].Code != "validation.required" {
					t.Errorf("blank name row: %+v", r)
				}

				form := url.Values{"csv": {csv}}
				page := hr.Do("POST", "/manage/users/import", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
				body := string(page.Body)
				if page.Status != http.StatusOK || !strings.Contains(body, `<li data-field="email">email: `+tc.email+`</li>`) ||
					!strings.Contains(body, `<li data-field="full_name">full_name: `) {
					t.Fatalf("page: %d %s", page.Status, body)
				}
				if strings.Contains(body, `name="commit"`) {
					t.Error("a file with bad rows may be committed")
				}
			})
		}
	})
}
