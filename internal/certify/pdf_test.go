package certify_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

var toolsWarning sync.Once

// needPDFTools skips the test, loudly, without Chromium or poppler-utils,
// unless MUSTER_REQUIRE_BROWSER asks for them.
func needPDFTools(t *testing.T) {
	t.Helper()
	var missing []string
	if _, err := os.Stat(dbtest.BrowserPath()); err != nil {
		missing = append(missing, dbtest.BrowserPath())
	}
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
		t.Fatalf("PDF tests need %s (apt-get install chromium poppler-utils fonts-noto-core)", strings.Join(missing, ", "))
	}
	toolsWarning.Do(func() {
		fmt.Fprintf(os.Stderr, "\n!!! %s missing: certificate PDF tests are SKIPPED (apt-get install chromium poppler-utils)\n\n", strings.Join(missing, ", "))
	})
	t.Skipf("missing %s", strings.Join(missing, ", "))
}

// TestCertificatePDF prints certificates for a Persian and a Tajik name and
// reads them back: the text in reading order with pdftotext, and the QR code
// decoded from the page as pdftoppm draws it.
func TestCertificatePDF(t *testing.T) {
	needPDFTools(t)
	w := newWorld(t, dbtest.SQLite(t))
	w.svc.Printer = certify.NewPrinter(dbtest.BrowserPath(), 2)
	t.Cleanup(func() { _ = w.svc.Close() })
	course := w.course(0, 0, 24)
	course = w.tw.UpdateCourse(w.coord, course, catalog.CoursePatch{Title: ptr("Counter-narcotics field operations")})
	c, _ := w.cohort(course, cohort.StatusInProgress, 0)
	persian := w.user(w.host, "محمدرضا حسینی", access.Trainee)
	tajik := w.user(w.guest, "Фарҳод Раҳимов", access.Trainee)
	w.patch(persian, identity.UserPatch{Language: ptr("fa"), FullNameLatin: ptr("Mohammadreza Hosseini")})
	w.patch(tajik, identity.UserPatch{Language: ptr("tg")})
	w.enroll(c, persian, enrollment.StatusEnrolled)
	w.enroll(c, tajik, enrollment.StatusEnrolled)
	plan, err := w.svc.Complete(ctx(), w.coord, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range plan.Outcomes {
		t.Run(o.NameLatin+o.Name, func(t *testing.T) {
			d, err := w.svc.Get(ctx(), w.admin, o.Certificate)
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := w.svc.RenderPDF(ctx(), o.Certificate)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "certificate.pdf")
			if err := os.WriteFile(file, pdf, 0o600); err != nil {
				t.Fatal(err)
			}
			text := run(t, "pdftotext", "-enc", "UTF-8", file, "-")
			for _, want := range []string{o.Name, d.Number, "Counter-narcotics field operations", d.HostAgency, d.VerificationURL, d.IssuedOn.String(), d.ExpiresOn.String()} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q:\n%s", want, text)
				}
			}
			if o.NameLatin != "" && !strings.Contains(text, o.NameLatin) {
				t.Errorf("PDF text lacks the Latin name %q", o.NameLatin)
			}
			run(t, "pdftoppm", "-r", "150", "-png", "-singlefile", file, filepath.Join(dir, "page"))
			f, err := os.Open(filepath.Join(dir, "page.png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() <= b.Dy() {
				t.Errorf("page %dx%d is not landscape", b.Dx(), b.Dy())
			}
			if got := decodeQR(t, img); got != d.VerificationURL {
				t.Fatalf("QR code reads %q, want %q", got, d.VerificationURL)
			}
		})
	}
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code found on the page: %v", err)
	}
	return res.GetText()
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
	return string(out)
}
