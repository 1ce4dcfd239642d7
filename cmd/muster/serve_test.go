package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/clock"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
	"muster/internal/identity"
	"muster/internal/loadgen"
)

// TestShutdownDuringLongExport sends SIGTERM to a real muster process while
// a client reads a large CSV export slowly, on SQLite and on PostgreSQL: the
// process exits 0 within MUSTER_SHUTDOWN_TIMEOUT and a little; the client
// has either the whole export or one cut off with an error (never a partial
// body that ends like a whole one); the database is intact.
func TestShutdownDuringLongExport(t *testing.T) {
	bin, err := loadgen.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("sqlite", func(t *testing.T) { shutdownDuringLongExport(t, bin, filepath.Join(t.TempDir(), "muster.db")) })
	t.Run("postgres", func(t *testing.T) { shutdownDuringLongExport(t, bin, dbtest.PostgresURL(t)) })
}

func shutdownDuringLongExport(t *testing.T, bin, url string) {
	const rows = 30000
	ctx := context.Background()
	gdb := dbtest.Open(t, url)
	agency := exporttest.Agency(t, gdb, "SG", "TJ")
	exporttest.Bulk(t, gdb, agency, rows)
	token := exportToken(t, gdb, agency)

	const timeout = 2 * time.Second
	procs, err := loadgen.Start(ctx, loadgen.Options{Binary: bin, DatabaseURL: url,
		Env: []string{"MUSTER_SHUTDOWN_TIMEOUT=" + timeout.String(), "MUSTER_MFA_REQUIRED_ROLES=none", "MUSTER_LOG_LEVEL=error"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := procs[0]
	t.Cleanup(func() { _ = p.Kill() })

	req, _ := http.NewRequest(http.MethodGet, p.URL+"/api/v1/exports/certificates?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("export answered %d %s", res.StatusCode, b)
	}
	buf := make([]byte, 4096)
	n, err := io.ReadFull(res.Body, buf)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Count(buf[:n], []byte("\n"))
	stopped := time.Now()
	var ended time.Time
	exited := make(chan error, 1)
	go func() { err := p.Stop(); ended = time.Now(); exited <- err }() // SIGTERM, then wait for the exit
	var readErr error
	for readErr == nil { // a slow client, 4 KiB every 50 ms, until the process has ended
		n, readErr = io.ReadFull(res.Body, buf)
		lines += bytes.Count(buf[:n], []byte("\n"))
		if !p.Exited() {
			time.Sleep(50 * time.Millisecond)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("muster exited with %v after SIGTERM:\n%s", err, p.Log())
		}
	case <-time.After(timeout + 10*time.Second):
		t.Fatal("muster did not exit after the shutdown timeout")
	}
	took := ended.Sub(stopped)
	complete := errors.Is(readErr, io.EOF) || errors.Is(readErr, io.ErrUnexpectedEOF) && lines == rows+1
	switch {
	case took > timeout+5*time.Second:
		t.Fatalf("muster took %v to exit", took)
	case complete && lines != rows+1:
		t.Fatalf("the export ended like a whole one after %d of %d lines", lines, rows+1)
	case !complete:
		t.Logf("the export was cut off after %d of %d lines (%v); muster exited 0 %v after SIGTERM", lines, rows+1, readErr, took)
	default:
		t.Logf("the export finished (%d lines); muster exited 0 %v after SIGTERM", lines, took)
	}
	if db.Dialect(gdb) == db.SQLite {
		var check string
		if err := gdb.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
			t.Fatalf("integrity after shutdown: %s %v", check, err)
		}
	}
	var stored int64
	gdb.Raw("SELECT count(*) FROM certificates").Scan(&stored)
	if stored != rows {
		t.Fatalf("%d certificates after shutdown", stored)
	}
}

// exportToken makes an HR officer of agency and returns an API token of theirs.
func exportToken(t *testing.T, gdb *gorm.DB, agency string) string {
	t.Helper()
	ctx := context.Background()
	cfg, _ := config.LoadFrom(nil)
	a, err := app.New(cfg, gdb, clock.System{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	cu, err := a.Identity.Bootstrap(ctx, identity.UserInput{Email: "hr@example.org", FullName: "Export Officer", AgencyID: agency, Roles: []string{access.HR}, Language: "en", Password: "quartz-lantern-orbit-harbour"})
	if err != nil {
		t.Fatal(err)
	}
	actor := cu.User.Actor("127.0.0.1")
	actor.SecondFactor = true
	tok, err := a.Identity.CreateToken(ctx, actor, identity.TokenInput{Name: "export", ExpiresAt: time.Now().AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}
