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

// pdfAhead is how many certificates are rendered ahead of the one being
// written: enough to keep every tab of the printer busy (the printer bounds
// how many print at once) while stored PDFs are read, few enough that a
// slow client holds only a handful of PDFs in memory.
const pdfAhead = 4

// rendered is one certificate's PDF, or why it could not be made.
type rendered struct {
	number string
	pdf    []byte
	err    error
}

// streamPDFs writes a ZIP archive of one PDF per certificate, in number
// order, each entry sent as soon as it is rendered. Certificates are
// rendered a few at a time in parallel and written in order.
func (e *Export) streamPDFs(ctx context.Context, w io.Writer) (n int64, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the rendering when writing fails
	queue := make(chan chan rendered, pdfAhead)
	listErr := make(chan error, 1)
	go func() { listErr <- e.renderInOrder(ctx, queue) }()
	zw := zip.NewWriter(w)
	modified := e.svc.Clock.Now()
	for next := range queue {
		r := <-next
		if r.err != nil {
			return n, fmt.Errorf("render certificate %s: %w", r.number, r.err)
		}
		// PDFs are compressed already: stored entries cost no CPU.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: r.number + ".pdf", Method: zip.Store, Modified: modified})
		if err != nil {
			return n, err
		}
		if _, err := f.Write(r.pdf); err != nil {
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
	if err := <-listErr; err != nil {
		return n, err
	}
	if err := zw.Close(); err != nil {
		return n, err
	}
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	return n, nil
}

// renderInOrder reads the certificate numbers batch by batch and starts
// rendering each, queueing the result channels in number order; the queue's
// capacity bounds how far rendering runs ahead of writing. It closes the
// queue when every number is queued or ctx ends.
func (e *Export) renderInOrder(ctx context.Context, queue chan<- chan rendered) error {
	defer close(queue)
	after := ""
	for {
		numbers, err := e.nextNumbers(ctx, after)
		if err != nil {
			return err
		}
		for _, number := range numbers {
			out := make(chan rendered, 1)
			select {
			case queue <- out:
			case <-ctx.Done():
				return ctx.Err()
			}
			go func() {
				pdf, err := e.svc.PDF.RenderPDF(ctx, number)
				out <- rendered{number: number, pdf: pdf, err: err}
			}()
		}
		if len(numbers) < pdfBatch {
			return nil
		}
		after = numbers[len(numbers)-1]
	}
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
