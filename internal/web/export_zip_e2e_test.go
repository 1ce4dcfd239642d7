package web_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"testing"

	"muster/internal/db/dbtest"
)

// TestExportZipWithRealPDFs streams the bulk download through the real
// Chromium printer: every entry is a whole PDF of the hr officer's agency.
func TestExportZipWithRealPDFs(t *testing.T) {
	if _, err := os.Stat(dbtest.BrowserPath()); err != nil {
		if os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
			t.Fatalf("Chromium required but missing: %v", err)
		}
		t.Skip("no Chromium: certificate PDFs cannot be printed")
	}
	env, f := exportEnv(t, dbtest.SQLite(t))
	env.App.Exports.PDF = env.App.Certify
	res := env.As("b/hr").Do("GET", "/api/v1/exports/certificates.zip", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("zip: %d %s", res.Status, res.Body)
	}
	zr, err := zip.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) == 0 {
		t.Fatal("empty archive")
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(rc)
		rc.Close()
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes(), []byte("%%EOF")) || buf.Len() < 5000 {
			t.Errorf("%s is not a whole PDF (%d bytes)", zf.Name, buf.Len())
		}
		if zf.Name == f.Certificates["C1"].Number+".pdf" {
			t.Errorf("hr of agency b received agency a's certificate %s", zf.Name)
		}
	}
}
