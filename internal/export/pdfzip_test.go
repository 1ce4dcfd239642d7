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
	"testing"

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

// pdfPrinter renders minimal PDFs and notes how much of the archive had
// been written when each was asked for.
type pdfPrinter struct {
	out     *bytes.Buffer
	written []int
}

func (p *pdfPrinter) RenderPDF(_ context.Context, number string) ([]byte, error) {
	p.written = append(p.written, p.out.Len())
	return minimalPDF("Certificate " + number), nil
}

// TestPDFArchive: the ZIP holds one PDF per certificate of the filtered,
// scoped set, named by number, and each entry is sent as soon as it is
// rendered, before the next one is asked for.
func TestPDFArchive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		var out bytes.Buffer
		printer := &pdfPrinter{out: &out}
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
		if len(printer.written) != 2 || printer.written[1] <= len(minimalPDF("Certificate "+want[0])) {
			t.Errorf("the first entry was not sent before the second was rendered: %v", printer.written)
		}
	})
}

// TestPDFArchiveBatches: an archive longer than one batch of numbers holds
// every certificate once.
func TestPDFArchiveBatches(t *testing.T) {
	gdb := dbtest.SQLite(t)
	w := setup(t, gdb)
	exporttest.Bulk(t, gdb, w.f.A, pdfBatch*2+5)
	var out bytes.Buffer
	w.svc.PDF = &pdfPrinter{out: &out}
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
}
