package certify_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
)

// countingPrinter "prints" a document as its HTML behind a PDF header and
// remembers what it printed.
type countingPrinter struct {
	mu    sync.Mutex
	html  [][]byte
	clock func() time.Time
}

func (p *countingPrinter) Print(_ context.Context, html []byte) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.html = append(p.html, html)
	return append([]byte("%PDF-fake "+p.clock().Format(time.RFC3339Nano)+"\n"), html...), nil
}

func (p *countingPrinter) Close() {}

func (p *countingPrinter) prints() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.html)
}

// TestStoredPDFReused: a certificate is printed once and its PDF served
// again from the database; a revocation or a new signatory changes what the
// certificate shows, so it is printed anew, once.
func TestStoredPDFReused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		printer := &countingPrinter{clock: w.clock.Now}
		w.svc.Printer = printer
		holder := w.user(w.guest, "Фарҳод Раҳимов", access.Trainee)
		cert := w.certificate(holder, w.course(0, 0, 12), day("2026-01-10"), ptr(day("2027-01-10")))
		other := w.certificate(w.user(w.guest, "Other Holder", access.Trainee), w.course(0, 0, 12), day("2026-01-10"), nil)

		render := func(number string) []byte {
			t.Helper()
			pdf, err := w.svc.RenderPDF(ctx(), number)
			if err != nil {
				t.Fatal(err)
			}
			return pdf
		}
		first := render(cert.Number)
		w.clock.Advance(time.Hour)
		if again := render(cert.Number); !bytes.Equal(again, first) || printer.prints() != 1 {
			t.Fatalf("second download printed again (%d prints) or differs", printer.prints())
		}
		render(other.Number)
		if printer.prints() != 2 {
			t.Fatalf("%d prints for two certificates", printer.prints())
		}
		var stored []certify.StoredPDF
		if err := gdb.Order("certificate_id").Find(&stored).Error; err != nil || len(stored) != 2 {
			t.Fatalf("stored %d PDFs, %v", len(stored), err)
		}

		if _, err := w.svc.Revoke(ctx(), w.coord, cert.Number, certify.RevokeInput{Reason: "issued in error"}); err != nil {
			t.Fatal(err)
		}
		revoked := render(cert.Number)
		if printer.prints() != 3 || bytes.Equal(revoked, first) || !bytes.Contains(printer.html[2], []byte(`class="revoked"`)) {
			t.Fatalf("after revocation: %d prints, printed the revoked mark: %v", printer.prints(), bytes.Contains(revoked, []byte(`class="revoked"`)))
		}
		if bytes.Contains(printer.html[0], []byte(`class="revoked"`)) {
			t.Fatal("the first print already carried the revoked mark")
		}
		if !bytes.Equal(render(cert.Number), revoked) || printer.prints() != 3 {
			t.Fatalf("the revoked certificate was printed again: %d prints", printer.prints())
		}
		var row certify.StoredPDF
		if err := gdb.Where("certificate_id = ?", cert.ID).Take(&row).Error; err != nil || !bytes.Equal(row.PDF, revoked) {
			t.Fatalf("stored PDF is not the revoked print: %v", err)
		}

		// A new signatory of the host agency is printed on its certificates.
		w.tw.Signatory(w.host, "Colonel Karimov", "")
		render(other.Number)
		if printer.prints() != 4 || !bytes.Contains(printer.html[3], []byte("Colonel Karimov")) {
			t.Fatalf("new signatory: %d prints", printer.prints())
		}
		// The full HTML (with its QR code) is what is printed.
		html, err := w.svc.CertificateHTML(ctx(), other.Number)
		if err != nil || !bytes.Equal(html, printer.html[3]) || !bytes.Contains(html, []byte("data:image/png;base64,")) {
			t.Fatalf("printed HTML differs from CertificateHTML or lacks its QR code: %v", err)
		}
	})
}

// TestWarmTabsSwapContent prints different certificates one after another
// in the same warm tabs and finds each PDF holds its own holder, not the
// previous document's.
func TestWarmTabsSwapContent(t *testing.T) {
	needPDFTools(t)
	w := newWorld(t, dbtest.SQLite(t))
	printer := certify.NewPrinter(dbtest.BrowserPath(), 1)
	w.svc.Printer = printer
	t.Cleanup(printer.Close)
	names := []string{"محمدرضا حسینی", "Фарҳод Раҳимов", "John Smith"}
	course := w.course(0, 0, 12)
	dir := t.TempDir()
	for i, name := range names {
		cert := w.certificate(w.user(w.guest, name, access.Trainee), course, day("2026-01-10"), nil)
		if i == 1 {
			if _, err := w.svc.Revoke(ctx(), w.coord, cert.Number, certify.RevokeInput{Reason: "test"}); err != nil {
				t.Fatal(err)
			}
		}
		pdf, err := w.svc.RenderPDF(ctx(), cert.Number)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, cert.Number+".pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		text := run(t, "pdftotext", "-enc", "UTF-8", file, "-")
		for j, other := range names {
			if strings.Contains(text, other) != (i == j) {
				t.Errorf("certificate %d of %q: text has %q: %v\n%s", i, name, other, i != j, text)
			}
		}
		// The mark is set at an angle: pdftotext gives it a letter a line, in either direction.
		squeezed := strings.Join(strings.Fields(text), "")
		if (strings.Contains(squeezed, "Revoked") || strings.Contains(squeezed, "dekoveR")) != (i == 1) {
			t.Errorf("certificate %d: revoked mark %v:\n%s", i, i != 1, text)
		}
		if strings.Count(text, cert.Number) == 0 {
			t.Errorf("certificate %d lacks its number %s", i, cert.Number)
		}
	}
}
