package export

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// minimalPDF is a real, one-page PDF 1.4 document showing text, with a
// correct cross-reference table, so that the archive carries documents a
// reader opens rather than placeholder bytes.
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", text)
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

var startxref = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`)

// checkPDF verifies the document's structure: header, trailer, and a
// cross-reference table where startxref says it is.
func checkPDF(t *testing.T, name string, pdf []byte) {
	t.Helper()
	m := startxref.FindSubmatch(pdf)
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || m == nil {
		t.Fatalf("%s is not a PDF: %.40q", name, pdf)
	}
	off, _ := strconv.Atoi(string(m[1]))
	if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Fatalf("%s: startxref %d does not point at the xref table", name, off)
	}
}

// pdfPrinter renders minimal PDFs, counts how many it renders at once, and
// holds back the numbers in hold until their gate closes.
type pdfPrinter struct {
	mu                 sync.Mutex
	inflight, most     int
	hold               map[string]chan struct{}
	overlap            chan struct{} // closed once two renders have overlapped
	overlapOnce        sync.Once
	waitForOverlapOnce sync.Once
}

func (p *pdfPrinter) RenderPDF(ctx context.Context, number string) ([]byte, error) {
	p.mu.Lock()
	p.inflight++
	p.most = max(p.most, p.inflight)
	if p.inflight >= 2 && p.overlap != nil {
		p.overlapOnce.Do(func() { close(p.overlap) })
	}
	gate := p.hold[number]
	p.mu.Unlock()
	defer func() { p.mu.Lock(); p.inflight--; p.mu.Unlock() }()
	// The first render waits for a second to start: they run in parallel.
	if p.overlap != nil {
		first := false
		p.waitForOverlapOnce.Do(func() { first = true })
		if first {
			if err := waitFor(ctx, p.overlap, "a second render to start alongside the first"); err != nil {
				return nil, err
			}
		}
	}
	if gate != nil {
		if err := waitFor(ctx, gate, "the entry before "+number+" to be sent"); err != nil {
			return nil, err
		}
	}
	return minimalPDF("Certificate " + number), nil
}

// waitFor waits for ch to close; the deadline only turns a hang into a failure.
func waitFor(ctx context.Context, ch <-chan struct{}, what string) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(30 * time.Second):
		return fmt.Errorf("waited 30 s for %s", what)
	}
}

// TestPDFArchive: the ZIP holds one PDF per certificate of the filtered,
// scoped set, named by number, and each entry is sent as soon as it is
// rendered: the second is rendered only once the first has been sent.
func TestPDFArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		var out bytes.Buffer
		firstSent := make(chan struct{})
		printer := &pdfPrinter{hold: map[string]chan struct{}{}}
		second := max(w.f.Certificates["C1"].Number, w.f.Certificates["C3"].Number)
		printer.hold[second] = firstSent
		w.svc.Hooks.Flushed = func(_ context.Context, rows int64) {
			if rows == 1 {
				close(firstSent)
			}
		}
		w.svc.PDF = printer
		e, err := w.svc.Prepare(w.hrA, Request{Format: FormatZIP, Filter: Filter{Status: "valid"}})
		if err != nil {
			t.Fatal(err)
		}
		if e.ContentType() != "application/zip" || e.FileName() != "certificates-2026-03-21-pdf.zip" {
			t.Errorf("content type %s, file name %s", e.ContentType(), e.FileName())
		}
		res, err := e.Stream(w.ctx, &out)
		if err != nil || res.Rows != 2 {
			t.Fatalf("stream: %+v, %v", res, err)
		}
		zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("read ZIP: %v", err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			checkPDF(t, f.Name, pdf)
			if want := minimalPDF("Certificate " + f.Name[:len(f.Name)-4]); !bytes.Equal(pdf, want) {
				t.Errorf("%s holds another document", f.Name)
			}
		}
		want := []string{w.f.Certificates["C1"].Number + ".pdf", w.f.Certificates["C3"].Number + ".pdf"}
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("entries %q, want %q (hr A, valid)", names, want)
		}
	})
}

// TestPDFArchiveBatches: an archive longer than one batch of numbers holds
// every certificate once, rendered a few at a time in parallel (the printer
// bounds how many print at once; the archive bounds how far it runs ahead).
func TestPDFArchiveBatches(t *testing.T) {
	gdb := dbtest.SQLite(t)
	w := setup(t, gdb)
	exporttest.Bulk(t, gdb, w.f.A, pdfBatch*2+5)
	var out bytes.Buffer
	printer := &pdfPrinter{overlap: make(chan struct{})}
	w.svc.PDF = printer
	e, err := w.svc.Prepare(w.admin, Request{Format: FormatZIP, Filter: Filter{Course: "BK-100"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.Stream(w.ctx, &out); err != nil || res.Rows != pdfBatch*2+5 {
		t.Fatalf("stream: %+v, %v", res, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		if seen[f.Name] {
			t.Errorf("%s twice", f.Name)
		}
		seen[f.Name] = true
	}
	if len(seen) != pdfBatch*2+5 {
		t.Errorf("%d entries", len(seen))
	}
	if printer.most < 2 || printer.most > pdfAhead+2 {
		t.Errorf("at most %d certificates rendered at once, want 2 to %d", printer.most, pdfAhead+2)
	}
}
