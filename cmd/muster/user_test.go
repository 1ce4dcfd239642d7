package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/app"
	"muster/internal/config"
)

// TestUserCreateOnFreshInstall creates the first admin on an empty SQLite
// database, reading the password from standard input.
func TestUserCreateOnFreshInstall(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "fresh.db")
	t.Setenv("DATABASE_URL", dbPath)
	withStdin(t, "a strong secretariat passphrase\n")
	err := runUser(context.Background(), []string{"create", "--email", "Admin@Example.org", "--name", "First Admin", "--role", "admin", "--country", "TJ", "--password-stdin"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := config.Load()
	a, err := app.Open(context.Background(), cfg, newLogger(cfg))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, err := a.Identity.Login(context.Background(), "admin@example.org", "a strong secretariat passphrase", "127.0.0.1")
	if err != nil {
		t.Fatalf("sign in as the new admin: %v", err)
	}
	if u.MustChangePassword || strings.Join(u.RoleNames(), ",") != "admin" {
		t.Fatalf("admin %+v", u)
	}
	// Without --password-stdin a one-time password is made, and a weak one is refused.
	withStdin(t, "short\n")
	err = runUser(context.Background(), []string{"create", "--email", "b@example.org", "--name", "B", "--role", "admin", "--password-stdin"})
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("weak password: %v", err)
	}
}

func withStdin(t *testing.T, input string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = old; r.Close() })
	_, _ = w.WriteString(input)
	w.Close()
}
