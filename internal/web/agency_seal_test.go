package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestAgencySealAndSignatoryAPI sets an agency's signatory through PATCH and
// its seal through PUT .../seal: a real PNG is kept, anything else is a
// field error, and only admins may.
func TestAgencySealAndSignatoryAPI(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	admin := env.As("a/admin")
	b := "/api/v1/agencies/" + env.Agencies["b"].ID

	res := admin.Do("PATCH", b, map[string]string{"signatory_name": "Алишер Назаров", "signatory_title": "Сардори маркази таълимӣ"})
	if res.Status != http.StatusOK || res.Map()["signatory_name"] != "Алишер Назаров" || res.Map()["name"] != "Agency b" {
		t.Fatalf("patch signatory: %d %s", res.Status, res.Body)
	}
	if res = env.As("b/trainee").Do("GET", b, nil); res.Map()["signatory_title"] != "Сардори маркази таълимӣ" {
		t.Fatalf("get: %s", res.Body)
	}
	res = admin.Do("PATCH", b, map[string]string{"signatory_name": strings.Repeat("x", 201)})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"signatory_name"`) {
		t.Fatalf("long signatory: %d %s", res.Status, res.Body)
	}

	img := image.NewGray(image.Rect(0, 0, 200, 100))
	img.Set(10, 10, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	res = admin.Do("PUT", b+"/seal", buf.Bytes(), "Content-Type", "image/png")
	if res.Status != http.StatusOK || res.Map()["width"] != float64(200) || res.Map()["height"] != float64(100) {
		t.Fatalf("put seal: %d %s", res.Status, res.Body)
	}
	res = admin.Do("PUT", b+"/seal", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "Content-Type", "image/png", "Accept-Language", "ru")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"seal"`) || !strings.Contains(string(res.Body), "PNG") {
		t.Fatalf("svg as seal: %d %s", res.Status, res.Body)
	}
	big := append(append([]byte{}, buf.Bytes()...), make([]byte, 300<<10)...)
	if res = admin.Do("PUT", b+"/seal", big, "Content-Type", "image/png"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "256") {
		t.Fatalf("oversized seal: %d %s", res.Status, res.Body)
	}
	if res = env.As("b/coordinator").Do("PUT", b+"/seal", buf.Bytes(), "Content-Type", "image/png"); res.Status != http.StatusForbidden {
		t.Fatalf("coordinator: %d %s", res.Status, res.Body)
	}
	if res = admin.Do("PUT", "/api/v1/agencies/0193a3c0-0000-7000-8000-000000000000/seal", buf.Bytes(), "Content-Type", "image/png"); res.Status != http.StatusNotFound {
		t.Fatalf("unknown agency: %d %s", res.Status, res.Body)
	}
	// The edit form shows it.
	page := admin.Do("GET", "/manage/agencies/"+env.Agencies["b"].ID, nil)
	if !strings.Contains(string(page.Body), `id="agency-seal"`) || !strings.Contains(string(page.Body), `value="Алишер Назаров"`) {
		t.Fatalf("agency form lacks the seal or signatory")
	}
	if res = admin.Do("DELETE", b+"/seal", nil); res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if page = admin.Do("GET", "/manage/agencies/"+env.Agencies["b"].ID, nil); strings.Contains(string(page.Body), `id="agency-seal"`) {
		t.Fatal("seal still shown after delete")
	}
}
