// Package dbtest gives each test a fresh, migrated database: a SQLite file in
// the test's temporary folder, and a PostgreSQL schema of its own so tests run
// in parallel. The same test body runs on both through Each.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for schema set-up
	"gorm.io/gorm"

	"muster/internal/db"
)

// DefaultPostgresURL is used when TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Each runs fn as two subtests, "sqlite" and "postgres", each on a fresh database.
func Each(t *testing.T, fn func(t *testing.T, gdb *gorm.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated SQLite database in a temporary file.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, SQLiteURL(t))
}

// SQLiteURL returns the path of a fresh, unmigrated SQLite database file.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "muster.db")
}

// Postgres opens a migrated database in a fresh PostgreSQL schema, or skips
// the test when no server answers and MUSTER_REQUIRE_POSTGRES is unset.
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates an empty schema, dropped when the test ends, and
// returns a URL whose connections use it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := adminDB(t)
	schema := "t_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(postgresURL())
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresDatabaseURL creates an empty database of its own, dropped when the
// test ends, for what works on whole databases (backups, restores), and
// returns its URL.
func PostgresDatabaseURL(t testing.TB) string {
	t.Helper()
	admin := adminDB(t)
	name := "t_" + randomHex(8)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(postgresURL())
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open opens and migrates the database at url, closing it when the test ends.
func Open(t testing.TB, url string) *gorm.DB { t.Helper(); return open(t, url) }

func open(t testing.TB, url string) *gorm.DB {
	t.Helper()
	ctx := context.Background()
	gdb, err := db.Open(ctx, url, db.Options{MaxOpenConns: 10, MaxIdleConns: 10, ConnMaxLifetime: time.Hour})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(gdb) })
	if err := db.MigrateUp(ctx, gdb); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return gdb
}

func postgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is one shared connection pool for creating and dropping schemas.
func adminDB(t testing.TB) *sql.DB {
	t.Helper()
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", postgresURL())
		if adminErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if adminErr = admin.PingContext(ctx); adminErr != nil {
			return
		}
		// Extensions are database-wide: create them once, in public, before
		// parallel tests' migrations would race to create them.
		_, adminErr = admin.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	})
	if adminErr != nil {
		if os.Getenv("MUSTER_REQUIRE_POSTGRES") != "" {
			t.Fatalf("PostgreSQL is required (MUSTER_REQUIRE_POSTGRES) but does not answer: %v", adminErr)
		}
		warnOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "\n!!! PostgreSQL does not answer at TEST_DATABASE_URL: PostgreSQL tests are SKIPPED (%v)\n\n", adminErr)
		})
		t.Skipf("PostgreSQL not reachable: %v", adminErr)
	}
	return admin
}

var warnOnce sync.Once

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// BrowserPath is the Chromium binary browser tests drive: MUSTER_CHROMIUM, else Debian's.
func BrowserPath() string {
	if p := os.Getenv("MUSTER_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}
