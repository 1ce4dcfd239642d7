package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/clock"
	"muster/internal/config"
	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
	"muster/internal/identity"
)

// TestShutdownDuringLongExport sends serve its stop signal (the context
// main cancels on SIGTERM) while a client reads a large CSV export slowly:
// serve ends within MUSTER_SHUTDOWN_TIMEOUT and a little, without error;
// the client has either the whole export or one cut off with an error
// (never a partial body that ends like a whole one); the database is intact.
func TestShutdownDuringLongExport(t *testing.T) {
	const rows = 30000
	ctx := context.Background()
	url := filepath.Join(t.TempDir(), "muster.db")
	gdb := dbtest.Open(t, url)
	agency := exporttest.Agency(t, gdb, "SG", "TJ")
	exporttest.Bulk(t, gdb, agency, rows)
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

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	const timeout = 2 * time.Second
	t.Setenv("DATABASE_URL", url)
	t.Setenv("MUSTER_ADDR", addr)
	t.Setenv("MUSTER_BASE_URL", "http://"+addr)
	t.Setenv("MUSTER_SHUTDOWN_TIMEOUT", timeout.String())
	t.Setenv("MUSTER_LOG_LEVEL", "error")
	t.Setenv("MUSTER_MFA_REQUIRED_ROLES", "none")
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	var ended time.Time
	over := make(chan struct{})
	go func() { err := runServe(sctx, nil); ended = time.Now(); close(over); done <- err }()
	base := "http://" + addr
	deadline := time.Now().Add(time.Minute)
	for {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}

	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/exports/certificates?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
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
	stop() // as SIGTERM does
	var readErr error
	for readErr == nil { // a slow client, 4 KiB every 50 ms, until serve has stopped
		n, readErr = io.ReadFull(res.Body, buf)
		lines += bytes.Count(buf[:n], []byte("\n"))
		select {
		case <-over:
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(timeout + 10*time.Second):
		t.Fatal("serve did not end after the shutdown timeout")
	}
	took := ended.Sub(stopped)
	complete := errors.Is(readErr, io.EOF) || errors.Is(readErr, io.ErrUnexpectedEOF) && lines == rows+1
	switch {
	case took > timeout+5*time.Second:
		t.Fatalf("serve took %v to stop", took)
	case complete && lines != rows+1:
		t.Fatalf("the export ended like a whole one after %d of %d lines", lines, rows+1)
	case !complete:
		t.Logf("the export was cut off after %d of %d lines (%v) when serve stopped %v after the signal", lines, rows+1, readErr, took)
	default:
		t.Logf("the export finished (%d lines) before serve stopped, %v after the signal", lines, took)
	}
	var check string
	if err := gdb.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity after shutdown: %s %v", check, err)
	}
	var stored int64
	gdb.Raw("SELECT count(*) FROM certificates").Scan(&stored)
	if stored != rows {
		t.Fatalf("%d certificates after shutdown", stored)
	}
}
