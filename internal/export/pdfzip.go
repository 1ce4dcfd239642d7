package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"

	"muster/internal/certify"
)

// The certification service prints the certificates.
var _ PDFRenderer = (*certify.Service)(nil)

// pdfBatch is how many certificate numbers are read at a time for the PDF
// archive. Numbers are read in short batches, not through one open cursor,
// because rendering a PDF takes a while and may itself use the database.
const pdfBatch = 200

// streamPDFs writes a ZIP archive of one PDF per certificate, in number
// order, each entry sent as soon as it is rendered.
func (e *Export) streamPDFs(ctx context.Context, w io.Writer) (n int64, err error) {
	zw := zip.NewWriter(w)
	modified := e.svc.Clock.Now()
	after := ""
	for {
		numbers, err := e.nextNumbers(ctx, after)
		if err != nil {
			return n, err
		}
		for _, number := range numbers {
			pdf, err := e.svc.PDF.RenderPDF(ctx, number)
			if err != nil {
				return n, fmt.Errorf("render certificate %s: %w", number, err)
			}
			// PDFs are compressed already: stored entries cost no CPU.
			f, err := zw.CreateHeader(&zip.FileHeader{Name: number + ".pdf", Method: zip.Store, Modified: modified})
			if err != nil {
				return n, err
			}
			if _, err := f.Write(pdf); err != nil {
				return n, err
			}
			n++
			if err := zw.Flush(); err != nil {
				return n, err
			}
			if err := e.flushed(ctx, w, n); err != nil {
				return n, err
			}
		}
		if len(numbers) < pdfBatch {
			break
		}
		after = numbers[len(numbers)-1]
	}
	if err := zw.Close(); err != nil {
		return n, err
	}
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	return n, nil
}

// nextNumbers reads the next batch of certificate numbers after the given one.
func (e *Export) nextNumbers(ctx context.Context, after string) ([]string, error) {
	sql, args := e.numbersQuery(after, pdfBatch)
	rows, err := e.svc.reads(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	numbers := make([]string, 0, pdfBatch)
	for rows.Next() {
		var number string
		if err := rows.Scan(&number); err != nil {
			return nil, err
		}
		numbers = append(numbers, number)
	}
	return numbers, rows.Err()
}
