package certify_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// sealPNG draws a small round-ish seal.
func sealPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 120, 120))
	for x := range 120 {
		for y := range 120 {
			if dx, dy := x-60, y-60; dx*dx+dy*dy < 55*55 && dx*dx+dy*dy > 45*45 {
				img.Set(x, y, color.NRGBA{R: 29, G: 78, B: 137, A: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfText writes pdf to a file and returns it and its text in reading order.
func pdfText(t *testing.T, pdf []byte) (string, string) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return file, run(t, "pdftotext", "-enc", "UTF-8", file, "-")
}

// readsAs reports whether text shows want, however the extractor ordered
// and spaced a right-to-left run within a line: bidi controls and spaces are dropped, and
// want's words may come in logical or visual (reversed) order.
func readsAs(text, want string) bool {
	flat := func(s string) string {
		return strings.Map(func(r rune) rune {
			// Line breaks stay: a date or number broken across lines must not match.
			if (unicode.IsSpace(r) && r != '\n') || unicode.Is(unicode.Bidi_Control, r) {
				return -1
			}
			return r
		}, s)
	}
	words := strings.Fields(want)
	slices.Reverse(words)
	t := flat(text)
	return strings.Contains(t, flat(want)) || strings.Contains(t, flat(strings.Join(words, " ")))
}

// TestPersianCertificatePDF prints a Persian holder's certificate: the Jalali
// dates in Persian digits with the Gregorian ones beside them, the course
// title from its Persian translation beside the English one, and the host
// agency's signatory and seal.
func TestPersianCertificatePDF(t *testing.T) {
	needPDFTools(t)
	w := newWorld(t, dbtest.SQLite(t))
	w.svc.Printer = certify.NewPrinter(dbtest.BrowserPath(), 1)
	t.Cleanup(func() { _ = w.svc.Close() })
	w.tw.Signatory(w.host, "سرتیپ علی رضایی", "رئیس مرکز آموزش")
	if _, err := w.tw.App.Identity.SetSeal(ctx(), w.tw.Admin, w.host, sealPNG(t)); err != nil {
		t.Fatal(err)
	}
	course := w.course(0, 0, 24)
	course = w.tw.UpdateCourse(w.coord, course, catalog.CoursePatch{Title: ptr("Counter-narcotics field operations"),
		Translations: &catalog.Translations{"fa": {Title: "عملیات میدانی مبارزه با مواد مخدر"}}})
	c, _ := w.cohort(course, cohort.StatusInProgress, 0) // 2026-03-01 to 2026-03-15
	holder := w.user(w.host, "محمدرضا حسینی", access.Trainee)
	w.patch(holder, identity.UserPatch{Language: ptr("fa")})
	w.enroll(c, holder, enrollment.StatusEnrolled)
	plan, err := w.svc.Complete(ctx(), w.coord, c.ID)
	if err != nil || len(plan.Outcomes) != 1 {
		t.Fatalf("complete: %+v %v", plan, err)
	}
	d, err := w.svc.Get(ctx(), w.admin, plan.Outcomes[0].Certificate)
	if err != nil {
		t.Fatal(err)
	}
	if d.IssuedOn.String() != "2026-03-10" || d.ExpiresOn.String() != "2028-03-10" {
		t.Fatalf("issued %s, expires %s: the expected Jalali dates below assume 2026-03-10 and 2028-03-10", d.IssuedOn, d.ExpiresOn)
	}
	// A certificate crosses borders: the Jalali day has the Gregorian one beside it.
	html, err := w.svc.CertificateHTML(ctx(), d.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "۱۹ اسفند ۱۴۰۴ (\u20662026-03-10\u2069)") {
		t.Errorf("certificate lacks the Jalali issue day with the Gregorian in parentheses")
	}
	pdf, err := w.svc.RenderPDF(ctx(), d.Number)
	if err != nil {
		t.Fatal(err)
	}
	file, text := pdfText(t, pdf)
	for _, want := range []string{
		// Issued and expires on, Jalali and Gregorian; extraction puts the
		// parenthesised Gregorian day inside the Jalali one (the HTML check
		// above reads it whole).
		"۱۹ اسفند", "۱۴۰۴", "2026-03-10",
		"۲۰ اسفند", "۱۴۰۶", "2028-03-10",
		"2026-03-01", "2026-03-15", // the cohort's dates (extraction scrambles the Jalali range; the transcript test reads those)
		"عملیات میدانی مبارزه با مواد مخدر", "Counter-narcotics field operations",
		"سرتیپ علی رضایی", "رئیس مرکز آموزش",
		"گواهی‌نامه پایان دوره", "Certificate of completion",
		d.Number, d.HostAgency,
	} {
		if !readsAs(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	// The seal is printed beside the QR code.
	if images := strings.Count(run(t, "pdfimages", "-list", file), "\n") - 2; images < 2 {
		t.Errorf("%d images in the PDF, want the QR code and the seal", images)
	}
}

// TestTranscriptListsFinishedTraining: a transcript lists completed and
// failed training only, never requests, withdrawals or training under way.
func TestTranscriptListsFinishedTraining(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Holder", access.Trainee)
		course := w.course(0, 0, 12)
		byStatus := map[string]*cohort.Cohort{}
		for _, status := range []string{enrollment.StatusCompleted, enrollment.StatusFailed, enrollment.StatusWithdrawn,
			enrollment.StatusEnrolled, enrollment.StatusPending, enrollment.StatusRejected} {
			c, _ := w.cohort(course, cohort.StatusCompleted, 0)
			w.enroll(c, holder, status)
			byStatus[status] = c
		}
		tr, err := w.svc.Transcript(ctx(), w.actor(holder), holder.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range tr.Entries {
			got[e.CohortCode] = e.Status
		}
		want := map[string]string{byStatus["completed"].Code: "completed", byStatus["failed"].Code: "failed"}
		if len(got) != len(want) || got[byStatus["completed"].Code] != "completed" || got[byStatus["failed"].Code] != "failed" {
			t.Fatalf("transcript lists %v, want %v", got, want)
		}
	})
}

// TestTranscriptPDF prints a Persian holder's transcript: Jalali and
// Gregorian dates whole on one line each, a withdrawal nowhere.
func TestTranscriptPDF(t *testing.T) {
	needPDFTools(t)
	w := newWorld(t, dbtest.SQLite(t))
	w.svc.Printer = certify.NewPrinter(dbtest.BrowserPath(), 1)
	t.Cleanup(func() { _ = w.svc.Close() })
	holder := w.user(w.guest, "زهرا کریمی", access.Trainee)
	w.patch(holder, identity.UserPatch{Language: ptr("fa")})
	course := w.course(0, 0, 12)
	done, _ := w.cohort(course, cohort.StatusCompleted, 0)
	w.enroll(done, holder, enrollment.StatusFailed)
	gone, _ := w.cohort(course, cohort.StatusCompleted, 0)
	w.enroll(gone, holder, enrollment.StatusWithdrawn)
	pdf, err := w.svc.TranscriptPDF(ctx(), w.actor(holder), holder.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	_, text := pdfText(t, pdf)
	for _, want := range []string{done.Code, "2026-03-01", "2026-03-15", "۱۰ اسفند ۱۴۰۴", "۲۴ اسفند ۱۴۰۴", "Training transcript", "کارنامه آموزشی", "مردود"} {
		if !readsAs(text, want) {
			t.Errorf("transcript lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, gone.Code) {
		t.Errorf("transcript lists the withdrawal %s:\n%s", gone.Code, text)
	}
}
