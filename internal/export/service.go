// Package export streams certification and training records to HR systems
// as CSV, XLSX and JSON, and certificate PDFs as a ZIP archive. Rows go from
// the database cursor to the writer one at a time, so memory stays flat
// whatever the number of rows, and a cancelled context stops the query.
package export

import (
	"context"
	"sync"

	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/i18n"
)

// Service is the export capability.
type Service struct {
	DB *gorm.DB
	// Reads serves the export queries, which may lag: the read replica
	// (db.Reads) when one is configured; DB when nil. The export's audit
	// event is written through DB.
	Reads *gorm.DB
	Clock clock.Clock
	// BaseURL is the public address of muster (MUSTER_BASE_URL), the start
	// of each certificate's verification_url.
	BaseURL string
	// PDF renders certificates for the ZIP archive; nil answers pdf_unavailable.
	PDF PDFRenderer
	// Hooks watch exports as they run; both are optional.
	Hooks Hooks
	// Messages translates localized headers; loaded on first use when nil.
	Messages *i18n.Catalog

	messagesOnce sync.Once
}

func (s *Service) messages() *i18n.Catalog {
	s.messagesOnce.Do(func() {
		if s.Messages == nil {
			s.Messages = i18n.MustLoad()
		}
	})
	return s.Messages
}

// PDFRenderer renders one certificate, by number, as a PDF document.
type PDFRenderer interface {
	RenderPDF(ctx context.Context, number string) ([]byte, error)
}

// Hooks are called while an export runs, for metrics and tests.
type Hooks struct {
	// Flushed is called after each batch of rows has been handed to the
	// writer, with the rows written so far. It runs on the export's goroutine.
	Flushed func(ctx context.Context, rows int64)
	// Finished is called once the export has ended, however it ended.
	Finished func(r Result)
}

// Result is how an export ended.
type Result struct {
	Kind   string
	Format string
	Rows   int64 // rows written, header excluded
	// Err is nil for a complete export; context.Canceled when the client
	// went away or the command was interrupted.
	Err error
}

// reads is the handle export queries read through.
func (s *Service) reads(ctx context.Context) *gorm.DB {
	if s.Reads != nil {
		return s.Reads.WithContext(ctx)
	}
	return s.DB.WithContext(ctx)
}
