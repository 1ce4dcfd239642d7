package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/apperr"
	"muster/internal/export"
	"muster/internal/i18n"
)

// runExport writes an export to a file (or standard output) as the system
// actor: every agency unless --agency narrows it. On a terminal it shows a
// progress line; elsewhere (cron, pipes) it prints nothing but errors.
func runExport(ctx context.Context, args []string) error {
	req := export.Request{Kind: export.Certificates}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		req.Kind, args = args[0], args[1:] // muster export certificates --format csv ...
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.StringVar(&req.Kind, "kind", req.Kind, "what to export: certificates or training-records")
	fs.StringVar(&req.Format, "format", export.FormatCSV, "csv, xlsx, json (one array), ndjson (one object per line), or zip (certificate PDFs)")
	out := fs.String("out", "-", "file to write; - for standard output")
	bom := fs.Bool("bom", true, "start a CSV file with a UTF-8 byte order mark, for spreadsheet programs (--bom=false for none)")
	fs.StringVar(&req.Headers, "headers", export.HeadersKeys, "keys: the stable column keys and status codes HR systems parse; localized: titles and status words in --language (CSV, XLSX)")
	fs.StringVar(&req.Language, "language", "en", "language of localized headers: en, ru, tg or fa")
	fs.StringVar(&req.Agency, "agency", "", "only the personnel of this agency (id)")
	fs.StringVar(&req.Country, "country", "", "only the personnel of agencies of this country (IR, TJ, ...)")
	fs.StringVar(&req.Course, "course", "", "only this course (code)")
	fs.StringVar(&req.Discipline, "discipline", "", "only courses of this discipline")
	fs.StringVar(&req.Status, "status", "", "certificates: valid, expired or revoked; training records: the enrollment status")
	fs.StringVar(&req.IssuedFrom, "issued-from", "", "certificates issued on or after this day (YYYY-MM-DD)")
	fs.StringVar(&req.IssuedTo, "issued-to", "", "certificates issued on or before this day (YYYY-MM-DD)")
	fs.StringVar(&req.ExpiringBefore, "expiring-before", "", "certificates that expire before this day (YYYY-MM-DD)")
	usage := "Usage: muster export [certificates|training-records] --format csv --out FILE [filters]\n\nWrites an export of every agency's records, as an administrator would download it, and records it in the audit trail."
	if err := parseFlags(fs, args, usage); err != nil {
		return err
	}
	req.BOM = bom
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error { return exportAll(ctx, a, req, *out) })
}

// exportAll writes the export as the system actor, with a progress line on a terminal.
func exportAll(ctx context.Context, a *app.App, req export.Request, out string) error {
	svc := a.Exports
	if svc.BaseURL == "" {
		svc.BaseURL = a.Config.BaseURL
	}
	exp, err := svc.Prepare(access.System(), req)
	if err != nil {
		return exportError(err, a.Messages.For("en"))
	}
	var bar *progress
	if term.IsTerminal(int(os.Stderr.Fd())) {
		bar = &progress{w: os.Stderr, start: time.Now(), total: -1}
		if n, err := exp.Count(ctx); err == nil {
			bar.total = n
		}
		svc.Hooks.Flushed = func(_ context.Context, rows int64) { bar.show(rows, false) }
	}
	res, err := writeExport(ctx, exp, out)
	if bar != nil {
		bar.show(res.Rows, true)
	}
	return err
}

// writeExport streams to standard output, or to a temporary file renamed to
// path once complete, so an interrupted export leaves no file that looks whole.
func writeExport(ctx context.Context, exp *export.Export, path string) (export.Result, error) {
	if path == "-" {
		return exp.Stream(ctx, os.Stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return export.Result{}, err
	}
	res, err := exp.Stream(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return res, err
}

// exportError turns a refused request into one line per field for the terminal.
func exportError(err error, loc *i18n.Localizer) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	if len(e.Fields) == 0 {
		return errors.New(loc.TMap(e.MessageKey(), e.Args, nil))
	}
	var b strings.Builder
	b.WriteString("invalid export:")
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  --%s: %s", strings.ReplaceAll(f.Field, "_", "-"), loc.TMap(f.Key, f.Args, nil))
	}
	return errors.New(b.String())
}

// progress is one line on a terminal: rows done, rate and time left. It is
// small enough that a progress-bar library would add more than it saves.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  time.Time
	total int64 // -1 when unknown
}

func (p *progress) show(rows int64, done bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !done && now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start)
	rate := float64(rows) / max(elapsed.Seconds(), 0.001)
	line := fmt.Sprintf("%d rows", rows)
	if p.total >= 0 {
		line = fmt.Sprintf("%d/%d rows (%d%%)", rows, p.total, percent(rows, p.total))
	}
	line += fmt.Sprintf("  %.0f rows/s", rate)
	switch {
	case done:
		line += fmt.Sprintf("  in %s\n", elapsed.Round(100*time.Millisecond))
	case p.total > rows && rate > 0:
		left := time.Duration(float64(p.total-rows) / rate * float64(time.Second))
		line += fmt.Sprintf("  %s left", left.Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r\033[K%s", line) // \033[K clears what a longer line left
}

func percent(n, total int64) int64 {
	if total <= 0 {
		return 100
	}
	return min(n*100/total, 100)
}
