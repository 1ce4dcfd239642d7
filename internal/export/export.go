package export

import (
	"context"
	"strings"
	"time"

	"muster/internal/access"
	"muster/internal/apperr"
)

// Export is a validated export for one actor, ready to count or stream.
type Export struct {
	svc          *Service
	actor        access.Actor
	kind, format string
	bom          bool
	// labels are the column titles and status words of localized headers;
	// nil for the stable keys and codes.
	labels       *labels
	crit         criteria
	scope        string    // the agency whose personnel are exported, "" for all
	today        time.Time // midnight UTC, for the derived status
	verifyPrefix string
}

// CanExport reports whether actor may export personnel records: admins of
// every agency, hr and coordinators of their own agency's personnel.
func CanExport(actor access.Actor) bool {
	return actor.IsAdmin() || (actor.AgencyID != "" && actor.HasAny(access.HR, access.Coordinator))
}

// Prepare checks that actor may export and that req is valid. Nothing is
// read yet, so a refusal comes before any byte of the answer.
func (s *Service) Prepare(actor access.Actor, req Request) (*Export, error) {
	if !CanExport(actor) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	crit, err := req.check()
	if err != nil {
		return nil, err
	}
	if req.Format == FormatZIP && s.PDF == nil {
		return nil, apperr.New(CodePDFUnavailable)
	}
	scope := ""
	if !actor.IsAdmin() {
		scope = actor.AgencyID
	}
	now := s.Clock.Now().UTC()
	var l *labels
	if req.Headers == HeadersLocalized && (req.Format == FormatCSV || req.Format == FormatXLSX) {
		l = newLabels(s.messages().For(req.Language), req.Kind)
	}
	return &Export{
		svc: s, actor: actor, kind: req.Kind, format: req.Format, bom: req.WantsBOM(), labels: l, crit: crit, scope: scope,
		today:        time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		verifyPrefix: strings.TrimRight(s.BaseURL, "/") + "/verify/",
	}, nil
}

// Count validates req like Prepare and counts the rows the export would give.
func (s *Service) Count(ctx context.Context, actor access.Actor, req Request) (int64, error) {
	e, err := s.Prepare(actor, req)
	if err != nil {
		return 0, err
	}
	return e.Count(ctx)
}

// Count counts the rows the export gives.
func (e *Export) Count(ctx context.Context) (int64, error) {
	sql, args := e.countQuery()
	var n int64
	err := e.svc.reads(ctx).Raw(sql, args...).Scan(&n).Error
	return n, err
}

// Kind is certificates or training-records.
func (e *Export) Kind() string { return e.kind }

// Format is the export's format.
func (e *Export) Format() string { return e.format }

// ContentType is the media type of the export's document.
func (e *Export) ContentType() string {
	switch e.format {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatJSON:
		return "application/json"
	case FormatNDJSON:
		return "application/x-ndjson"
	case FormatZIP:
		return "application/zip"
	}
	return "text/csv; charset=utf-8; header=present"
}

// FileName names the downloaded file after the kind and today's date.
func (e *Export) FileName() string {
	name := e.kind + "-" + e.today.Format(dateLayout)
	if e.format == FormatZIP {
		return name + "-pdf.zip"
	}
	return name + "." + e.format
}

// columns are the export's column names in order.
func (e *Export) columns() []string {
	if e.kind == TrainingRecords {
		return RecordColumns
	}
	return CertificateColumns
}

// newScanner reads the export's rows.
func (e *Export) newScanner() rowScanner {
	if e.kind == TrainingRecords {
		return &recordRow{}
	}
	return &certificateRow{}
}
