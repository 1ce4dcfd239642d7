package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestExportPage: the form previews the row count, downloads the same
// export, and shows what needs correcting.
func TestExportPage(t *testing.T) {
	env, f := exportEnv(t, dbtest.SQLite(t))
	hr := env.As("a/hr")
	res := hr.Do("GET", "/manage/exports", nil)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `formaction="/manage/exports/download"`) ||
		strings.Contains(string(res.Body), `name="agency"`) {
		t.Fatalf("form: %d", res.Status)
	}
	res = hr.Do("GET", "/manage/exports?kind=certificates&status=valid&preview=1", nil)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), "2 rows match these filters.") {
		t.Errorf("preview: %d %s", res.Status, res.Body)
	}
	res = hr.Do("GET", "/manage/exports/download?kind=certificates&format=csv&status=valid&bom=1", nil)
	rows := readCSV(t, res.Body)
	if res.Status != http.StatusOK || len(rows) != 2 || !strings.HasPrefix(string(res.Body), "\xEF\xBB\xBF") {
		t.Errorf("download: %d %q", res.Status, res.Body)
	}
	res = hr.Do("GET", "/manage/exports/download?kind=training-records&status=valid&issued_from=21.03.2026", nil)
	body := string(res.Body)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-issued_from"`) ||
		!strings.Contains(body, `value="21.03.2026"`) || res.Header.Get("Content-Disposition") != "" {
		t.Errorf("invalid download: %d %s", res.Status, body)
	}
	// Admins choose the agency.
	res = env.As("a/admin").Do("GET", "/manage/exports?agency="+f.B+"&preview=1", nil)
	if !strings.Contains(string(res.Body), `name="agency"`) || !strings.Contains(string(res.Body), "2 rows match these filters.") {
		t.Errorf("admin form: %s", res.Body)
	}
}

// TestBrowserExportPreview: in a real browser, hr chooses filters, counts
// the rows, and the form keeps the choices.
func TestBrowserExportPreview(t *testing.T) {
	env, _ := exportEnv(t, dbtest.SQLite(t))
	ctx := webtest.Browser(t)
	env.SignIn(t, ctx, env.URL+"/manage/exports", env.Users["a/hr"].Email)
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(`#export-form`),
		chromedp.SetValue(`#f-discipline`, "border_security"),
		chromedp.SetValue(`#f-status`, "valid"),
		chromedp.Click(`button[name="preview"]`),
		chromedp.WaitVisible(`#export-count`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// C3 only: hr a's valid border-security certificate (C2 expired, C6 is agency b's).
	if got := text(t, ctx, "#export-count"); got != "1 row matches these filters." {
		t.Errorf("count %q", got)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(`#f-discipline`)); v != "border_security" {
		t.Errorf("discipline not kept: %q", v)
	}
}
