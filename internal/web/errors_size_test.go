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

// TestTooLargeFormSaysTheLimitAndTheWayBack: a form posted over the body
// limit, as a browser sends it (the token in the body), answers 413 with
// the limit in the reader's language and units and a link back to the
// page it came from, but never to another site's.
func TestTooLargeFormSaysTheLimitAndTheWayBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
		speak(t, env, "a/coordinator", "ru")
		coord := env.As("a/coordinator")
		page := "/manage/cohorts/" + c.ID + "/nominate"
		form := url.Values{"csrf_token": {coord.CSRF}, "list": {strings.Repeat("a-trainee@a.example\n", 60000)}}.Encode()
		post := func(referer string) *webtest.Response {
			return coord.Do("POST", page, form, "Content-Type", "application/x-www-form-urlencoded", "X-CSRF-Token", "", "Referer", referer)
		}
		res := post(env.URL + page + "?from=roster")
		body := string(res.Body)
		if res.Status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "1 МБ") || strings.Contains(body, "MiB") ||
			!strings.Contains(body, `id="error-back" href="`+page+`?from=roster"`) {
			t.Fatalf("oversized form: %d\n%s", res.Status, body)
		}
		for _, ref := range []string{"https://elsewhere.example" + page, "javascript:alert(1)", "//elsewhere.example/x"} {
			if res := post(ref); res.Status != http.StatusRequestEntityTooLarge || strings.Contains(string(res.Body), `id="error-back"`) {
				t.Errorf("referer %q: %d, offers a way back", ref, res.Status)
			}
		}
		speak(t, env, "a/coordinator", "fa")
		if body := string(post(env.URL + page).Body); !strings.Contains(body, "۱ مگابایت") {
			t.Errorf("Persian 413 page lacks the limit in Persian:\n%s", body)
		}
	})
}

// TestUploadFieldsSayTheLimit: the personnel import and the nomination
// forms state the largest file next to the file field, in the reader's
// language, before anything is sent.
func TestUploadFieldsSayTheLimit(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
	speak(t, env, "a/coordinator", "ru")
	speak(t, env, "a/agency_admin", "ru")
	for key, tc := range map[string]struct{ path, want string }{
		"a/coordinator":  {"/manage/cohorts/" + c.ID + "/nominate", "Файлы размером до 1 МБ."},
		"a/agency_admin": {"/manage/users/import", "Файлы размером до 8 МБ."},
	} {
		res := env.As(key).Do("GET", tc.path, nil)
		if body := string(res.Body); res.Status != http.StatusOK || !strings.Contains(body, `aria-describedby="f-file-limit"`) ||
			!strings.Contains(body, `id="f-file-limit">`+tc.want+`</p>`) {
			t.Errorf("%s: %d, no %q beside the file field", tc.path, res.Status, tc.want)
		}
	}
}
