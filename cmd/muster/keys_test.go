package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/app"
	"muster/internal/config"
)

// TestKeysCommand lists and rotates signing keys on a fresh SQLite file as
// an operator would: an https server without a secret key refuses to make a
// key in the clear; with one, each rotation adds a sealed key and retires
// the previous one.
func TestKeysCommand(t *testing.T) {
	ctx := context.Background()
	t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "keys.db"))
	t.Setenv("MUSTER_BASE_URL", "https://training.example.org")
	t.Setenv("MUSTER_SECRET_KEY", "")
	if err := runMigrate(ctx, []string{"up"}); err != nil {
		t.Fatal(err)
	}
	if err := runKeys(ctx, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	if err := runKeys(ctx, []string{"spin"}); err == nil {
		t.Fatal("an unknown subcommand was accepted")
	}
	var out bytes.Buffer
	if err := keysCommand(ctx, []string{"list"}, &out); err != nil || !strings.Contains(out.String(), "no stored signing keys") {
		t.Fatalf("list on a fresh database: %q %v", out.String(), err)
	}
	if err := keysCommand(ctx, []string{"rotate"}, &out); err == nil || !strings.Contains(err.Error(), "MUSTER_SECRET_KEY") {
		t.Fatalf("rotate in the clear behind https: %v", err)
	}

	t.Setenv("MUSTER_SECRET_KEY", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{4}, 32)))
	for range 2 {
		out.Reset()
		if err := keysCommand(ctx, []string{"rotate"}, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "new signing key ") || !strings.Contains(out.String(), "did:web:training.example.org#z6Mk") {
			t.Fatalf("rotate printed %q", out.String())
		}
	}
	out.Reset()
	if err := keysCommand(ctx, []string{"list"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "current") || !strings.Contains(lines[1], "retired ") ||
		!strings.HasSuffix(lines[0], "encrypted") || !strings.HasSuffix(lines[1], "encrypted") {
		t.Fatalf("list:\n%s", out.String())
	}
}

// TestServeRefusesClearKey: serve's start-up check stops an https server
// that would keep a generated key in the clear, naming the setting to fix.
func TestServeRefusesClearKey(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		base, secret string
		wantErr      bool
	}{
		{"https://training.example.org", "", true},
		{"https://training.example.org", base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, 32)), false},
		{"http://localhost:8080", "", false},
	} {
		t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "serve.db"))
		t.Setenv("MUSTER_BASE_URL", c.base)
		t.Setenv("MUSTER_SECRET_KEY", c.secret)
		cfg, err := config.Load()
		if err != nil {
			t.Fatal(err)
		}
		a, err := app.Open(ctx, cfg, newLogger(cfg))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.EnsureMigrated(ctx, true); err != nil {
			t.Fatal(err)
		}
		err = prepareSigning(ctx, a)
		a.Close()
		if c.wantErr != (err != nil) || (err != nil && !strings.Contains(err.Error(), "MUSTER_SECRET_KEY")) {
			t.Errorf("%s, secret key set %v: %v", c.base, c.secret != "", err)
		}
	}
}
