package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/export/exporttest"
)

// TestExportCommand writes a filtered CSV export to a file, quietly (the
// test's standard error is no terminal), and refuses a bad filter without
// leaving a file behind. The clock is the real one, so the filter is one
// that does not depend on the date.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DATABASE_URL", filepath.Join(dir, "muster.db"))
	ctx := context.Background()
	cfg, _ := config.Load()
	a, err := app.Open(ctx, cfg, newLogger(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EnsureMigrated(ctx, true); err != nil {
		t.Fatal(err)
	}
	f := exporttest.Seed(t, a.DB, exporttest.Agency(t, a.DB, "PDC", "IR"), exporttest.Agency(t, a.DB, "DCA", "TJ"))
	a.Close()

	out := filepath.Join(dir, "cn.csv")
	if err := runExport(ctx, []string{"certificates", "--format", "csv", "--out", out, "--course", "cn-101", "--bom"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\xEF\xBB\xBF"))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "certificate_number" {
		t.Fatalf("export file: %q, %v", rows, err)
	}
	if rows[1][0] != f.Certificates["C5"].Number || rows[2][0] != f.Certificates["C1"].Number {
		t.Errorf("CN-101 certificates %q", rows[1:])
	}

	bad := filepath.Join(dir, "bad.csv")
	err = runExport(ctx, []string{"training-records", "--out", bad, "--status", "valid"})
	if err == nil || !strings.Contains(err.Error(), "--status") {
		t.Fatalf("bad status: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "bad.csv") || strings.HasPrefix(e.Name(), ".cn.csv") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestProgressLine: rows done of the total, the rate and the time left,
// redrawn in place; the last line ends with the elapsed time.
func TestProgressLine(t *testing.T) {
	var b strings.Builder
	p := &progress{w: &b, start: time.Now().Add(-2 * time.Second), total: 1000}
	p.show(500, false)
	p.show(600, false) // too soon after the last: not drawn
	p.show(1000, true)
	lines := strings.Split(b.String(), "\r\033[K")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "500/1000 rows (50%)  2") || !strings.HasSuffix(lines[1], "s left") ||
		!strings.HasPrefix(lines[2], "1000/1000 rows (100%)") || !strings.HasSuffix(lines[2], "s\n") {
		t.Errorf("progress output %q", b.String())
	}
}
