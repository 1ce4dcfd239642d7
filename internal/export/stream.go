package export

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/audit"
	"muster/internal/db"
)

// flushEvery is how many rows go out between flushes to the client: often
// enough that a download shows progress, rarely enough to cost nothing.
const flushEvery = 1000

// flusher is a writer, such as an http.ResponseWriter, that can send what it
// holds at once.
type flusher interface{ Flush() }

// Stream writes the export to w as the database cursor gives the rows, so
// memory stays flat whatever their number. Cancelling ctx (the client went
// away) stops the query. Once done, however it ended, Stream records one
// audit event with the filters and the number of rows, in its own
// transaction: the count is known only at the end.
func (e *Export) Stream(ctx context.Context, w io.Writer) (Result, error) {
	var (
		n   int64
		err error
	)
	switch {
	case e.format == FormatZIP:
		n, err = e.streamPDFs(ctx, w)
	case e.usesCopy():
		n, err = e.copyCSV(ctx, w)
	default:
		n, err = e.streamRows(ctx, w)
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err() // a failed write or scan after a disconnect is the disconnect
	}
	res := Result{Kind: e.kind, Format: e.format, Rows: n, Err: err}
	if aerr := e.record(ctx, res); aerr != nil && err == nil {
		err = aerr
	}
	if e.svc.Hooks.Finished != nil {
		e.svc.Hooks.Finished(res)
	}
	return res, err
}

// streamRows runs the query and writes each row as it comes.
func (e *Export) streamRows(ctx context.Context, w io.Writer) (n int64, err error) {
	out := bufio.NewWriterSize(w, 64<<10)
	var rw rowWriter
	switch e.format {
	case FormatXLSX:
		rw = newXLSXWriter(out, e.sheetTitle(), e.svc.Clock.Now())
	case FormatJSON:
		rw = newJSONWriter(out, true)
	case FormatNDJSON:
		rw = newJSONWriter(out, false)
	default:
		rw = newCSVWriter(out, e.bom)
	}
	sql, args := e.rowsQuery()
	qctx, cancel := context.WithCancel(ctx)
	rows, err := e.svc.reads(qctx).Raw(sql, args...).Rows()
	if err != nil {
		cancel()
		return 0, err
	}
	defer rows.Close()
	defer cancel() // runs first: a query left early is cancelled, not read to its end
	columns := e.header()
	if err := rw.header(columns); err != nil {
		return 0, err
	}
	scan := e.newScanner()
	targets, cells, status := scan.targets(), make([]cell, len(columns)), e.statusColumn()
	for rows.Next() {
		if err := rows.Scan(targets...); err != nil {
			return n, err
		}
		scan.fill(cells)
		e.label(cells, status)
		if err := rw.row(cells); err != nil {
			return n, err
		}
		n++
		if n%flushEvery == 0 {
			if err := rw.flush(); err != nil {
				return n, err
			}
			if err := e.flushed(ctx, w, n); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := rw.close(); err != nil {
		return n, err
	}
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	return n, nil
}

// flushed sends what w holds, tells the hook, and reports a cancelled context.
func (e *Export) flushed(ctx context.Context, w io.Writer, n int64) error {
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	if e.svc.Hooks.Flushed != nil {
		e.svc.Hooks.Flushed(ctx, n)
	}
	return ctx.Err()
}

func (e *Export) sheetTitle() string {
	if e.labels != nil {
		return e.labels.sheet
	}
	if e.kind == TrainingRecords {
		return "Training records"
	}
	return "Certificates"
}

// auditTimeout bounds the audit write of an export whose request has ended.
const auditTimeout = 10 * time.Second

// record writes the export's audit event. It runs after the stream, with a
// context of its own, so an export cut short by the client is recorded too.
func (e *Export) record(ctx context.Context, res Result) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	action := "export." + strings.ReplaceAll(e.kind, "-", "_")
	if e.format == FormatZIP {
		action = "export.certificate_pdfs"
	}
	agency := e.scope
	if agency == "" {
		agency = e.crit.Agency
	}
	details := map[string]any{"format": e.format, "filters": e.crit.Filter, "rows": res.Rows, "complete": res.Err == nil}
	switch {
	case errors.Is(res.Err, context.Canceled):
		details["ended"] = "cancelled"
	case res.Err != nil:
		details["ended"] = "failed"
	}
	return db.Tx(ctx, e.svc.DB, e.svc.Clock, func(tx *gorm.DB) error {
		return audit.Record(tx, e.svc.Clock.Now(), e.actor, audit.Entry{
			Action: action, SubjectType: "export", SubjectID: e.kind, AgencyID: agency, Details: details,
		})
	})
}
