package web_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/web"
	"muster/internal/web/apidoc"
	"muster/internal/webtest"
)

// TestOpenAPICoversEveryRoute fails when a route registered under /api/v1
// is missing from the OpenAPI document, or the document names an operation
// no route serves.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	env := webtest.Serve(t, dbtest.SQLite(t), clock.NewFixed(time.Now()))
	srv := env.Server.Config.Handler.(*web.Server)
	doc, err := apidoc.Document()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range srv.Routes() {
		path, ok := strings.CutPrefix(r.Path, apidoc.Prefix)
		if !ok {
			continue
		}
		key := r.Method + " " + ginToOpenAPI(path)
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s %s is registered but not in internal/web/apidoc/openapi.yaml", r.Method, r.Path)
		}
	}
	var extra []string
	for key := range documented {
		if !registered[key] {
			extra = append(extra, key)
		}
	}
	sort.Strings(extra)
	for _, key := range extra {
		t.Errorf("the OpenAPI document names %s, which no route serves", key)
	}
	if len(registered) < 80 {
		t.Fatalf("only %d API routes found: the prefix or the route list changed", len(registered))
	}
}

// ginToOpenAPI writes Gin's ":id" segments as OpenAPI's "{id}".
func ginToOpenAPI(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIServed: anyone may fetch the document as JSON, and it is the
// embedded one; the webtest client checks the answer against the document
// itself.
func TestOpenAPIServed(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	res := env.Anonymous().Do("GET", "/api/v1/openapi.json", nil)
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	m := res.Map()
	if m["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", m["openapi"])
	}
	paths, _ := m["paths"].(map[string]any)
	if _, ok := paths["/cohorts/{id}/enrollments"]; !ok {
		t.Fatalf("served document lacks /cohorts/{id}/enrollments: %d paths", len(paths))
	}
}

// TestAPIReferencePage renders every operation from the document, with the
// page's own words in the reader's language, and is linked from every page.
func TestAPIReferencePage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	res := env.Anonymous().Do("GET", "/api-reference", nil, "Accept-Language", "ru")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /api-reference: %d", res.Status)
	}
	page := string(res.Body)
	for _, want := range []string{"Справочник по API", "Параметры", `id="post-cohorts-id-enrollments"`, "POST /api/v1/cohorts/{id}/enrollments",
		`id="schema-Problem"`, `href="/api/v1/openapi.json"`} {
		if !strings.Contains(page, want) {
			t.Errorf("reference page lacks %q", want)
		}
	}
	if strings.Contains(page, `<script src="http`) || strings.Contains(page, `<script src="//`) {
		t.Error("reference page loads a script from another site")
	}
	home := env.Anonymous().Do("GET", "/", nil)
	if !strings.Contains(string(home.Body), `href="/api-reference"`) {
		t.Error("the home page does not link to the API reference")
	}
}
