package export_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
	"muster/internal/webtest"
)

// pdfBenchCertificates is how many certificates the PDF archive holds.
const pdfBenchCertificates = 1000

// BenchmarkCertificatePDFs prints certificates on PostgreSQL through the
// HTTP API of a real server with the real Chromium printer (two tabs):
// single certificate PDFs with a warm browser, first printed and then
// served as stored, and the ZIP of 1,000 certificates when none is stored
// yet and again when all are. Run it with:
//
//	go test -run '^$' -bench CertificatePDFs -benchtime 1x ./internal/export/
func BenchmarkCertificatePDFs(b *testing.B) {
	if _, err := os.Stat(dbtest.BrowserPath()); err != nil {
		b.Skipf("!!! no Chromium at %s: certificate PDFs cannot be printed", dbtest.BrowserPath())
	}
	gdb := dbtest.Open(b, dbtest.PostgresURL(b))
	env := webtest.Start(b, gdb)
	env.Clock.Set(exporttest.Today)
	exporttest.Bulk(b, gdb, env.Agencies["a"].ID, pdfBenchCertificates)
	admin := env.As("a/admin")
	get := func(path string) (time.Duration, []byte) {
		b.Helper()
		t0 := time.Now()
		res := admin.Do("GET", path, nil)
		if res.Status != http.StatusOK {
			b.Fatalf("%s: %d %s", path, res.Status, res.Body)
		}
		return time.Since(t0), res.Body
	}
	get("/api/v1/certificates/BLK-2024-000001.pdf") // starts the browser and opens a tab
	for b.Loop() {
		// Singles: certificates not printed yet, then the same ones stored.
		const singles = 21
		var printed, stored []time.Duration
		for i := 2; i < 2+singles; i++ {
			d, _ := get("/api/v1/certificates/" + bulkNumber(i) + ".pdf")
			printed = append(printed, d)
		}
		for i := 2; i < 2+singles; i++ {
			d, _ := get("/api/v1/certificates/" + bulkNumber(i) + ".pdf")
			stored = append(stored, d)
		}
		if err := gdb.Exec("DELETE FROM certificate_pdfs").Error; err != nil {
			b.Fatal(err)
		}
		cold, body := get("/api/v1/exports/certificates.zip?course=BK-100")
		checkArchive(b, body)
		warm, body := get("/api/v1/exports/certificates.zip?course=BK-100")
		checkArchive(b, body)
		b.ReportMetric(ms(median(printed)), "print_p50_ms")
		b.ReportMetric(ms(median(stored)), "stored_p50_ms")
		b.ReportMetric(cold.Seconds(), "zip_cold_s")
		b.ReportMetric(warm.Seconds(), "zip_stored_s")
		b.ReportMetric(float64(len(body))/(1<<20), "zip_MiB")
	}
}

func bulkNumber(i int) string { return "BLK-2024-" + pad6(i) }

func pad6(i int) string {
	s := []byte("000000")
	for j := 5; j >= 0 && i > 0; j-- {
		s[j] = byte('0' + i%10)
		i /= 10
	}
	return string(s)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// checkArchive fails unless the archive holds every certificate as a PDF.
func checkArchive(b *testing.B, body []byte) {
	b.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		b.Fatal(err)
	}
	if len(zr.File) != pdfBenchCertificates {
		b.Fatalf("%d entries, want %d", len(zr.File), pdfBenchCertificates)
	}
	for _, f := range zr.File {
		if f.UncompressedSize64 < 5000 {
			b.Fatalf("%s: %d bytes", f.Name, f.UncompressedSize64)
		}
	}
}
