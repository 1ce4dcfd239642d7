package web_test

import (
	"net/http"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestCatalogueConditionalRequests: anonymous catalogue answers (API and
// page) carry an ETag, Last-Modified and short public caching, answer 304
// to a visitor who holds them, and change as soon as the catalogue does;
// signed-in answers are never tagged and stay no-store.
func TestCatalogueConditionalRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		anon := env.Anonymous()
		coord := env.As("a/coordinator")
		create := func(code string) {
			t.Helper()
			res := coord.Do("POST", "/api/v1/courses", map[string]any{"code": code, "title": "Course " + code, "discipline": "forensics",
				"level": "basic", "delivery": "online", "duration_hours": 10, "languages": []string{"en"}, "status": "published"})
			if res.Status != http.StatusCreated {
				t.Fatalf("create %s: %d %s", code, res.Status, res.Body)
			}
		}
		create("FO-101")
		for _, path := range []string{"/api/v1/courses?q=fo", "/courses?q=fo"} {
			first := anon.Do("GET", path, nil)
			etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if first.Status != http.StatusOK || etag == "" || modified == "" || first.Header.Get("Cache-Control") != "public, max-age=30" {
				t.Fatalf("%s: %d, ETag %q, Last-Modified %q, Cache-Control %q", path, first.Status, etag, modified, first.Header.Get("Cache-Control"))
			}
			if again := anon.Do("GET", path, nil, "If-None-Match", etag); again.Status != http.StatusNotModified || len(again.Body) != 0 {
				t.Fatalf("%s with its ETag: %d %s", path, again.Status, again.Body)
			}
			if again := anon.Do("GET", path, nil, "If-Modified-Since", modified); again.Status != http.StatusNotModified {
				t.Fatalf("%s with its Last-Modified: %d", path, again.Status)
			}
			if other := anon.Do("GET", path+"&page=2", nil, "If-None-Match", etag); other.Status != http.StatusOK {
				t.Fatalf("another query answered with the first one's ETag: %d", other.Status)
			}
			if ru := anon.Do("GET", path, nil, "If-None-Match", etag, "Accept-Language", "ru"); path == "/courses?q=fo" && ru.Status != http.StatusOK {
				t.Fatalf("the page in another language answered with the English one's ETag: %d", ru.Status)
			}
			signedIn := coord.Do("GET", path, nil, "If-None-Match", etag)
			if signedIn.Status != http.StatusOK || signedIn.Header.Get("ETag") != "" || signedIn.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("%s signed in: %d, ETag %q, Cache-Control %q", path, signedIn.Status, signedIn.Header.Get("ETag"), signedIn.Header.Get("Cache-Control"))
			}
			create("FO-" + map[bool]string{true: "201", false: "301"}[path[1] == 'a'])
			changed := anon.Do("GET", path, nil, "If-None-Match", etag)
			if changed.Status != http.StatusOK || changed.Header.Get("ETag") == etag {
				t.Fatalf("%s after a new course: %d, ETag %q (was %q)", path, changed.Status, changed.Header.Get("ETag"), etag)
			}
		}
		if bad := anon.Do("GET", "/api/v1/courses?level=expert", nil); bad.Status != http.StatusUnprocessableEntity || bad.Header.Get("ETag") != "" {
			t.Fatalf("a refused query: %d, ETag %q", bad.Status, bad.Header.Get("ETag"))
		}
	})
}
