// Package ops holds operators' tasks over a whole database: backups and
// their restoration, and the retention of data that ages out.
package ops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
)

// Audit actions of this package.
const (
	ActionBackup  = "database.backup"
	ActionRestore = "database.restore"
)

// Backup formats, told apart by the file's first bytes.
const (
	FormatSQLite  = "sqlite"  // a SQLite database file
	FormatPGDump  = "pg_dump" // pg_dump's custom format
	sqliteMagic   = "SQLite format 3\x00"
	pgDumpMagic   = "PGDMP"
	partialSuffix = ".partial"
)

// ErrNoPGDump is returned when a PostgreSQL backup or restore needs pg_dump
// or pg_restore and neither is installed.
var ErrNoPGDump = errors.New("pg_dump and pg_restore are not installed: install the PostgreSQL client of the server's major version (Debian: postgresql-client), or take a base backup (see the README's Operations section)")

// Backup writes a consistent copy of the database to out, which must not
// exist: SQLite's VACUUM INTO (a snapshot taken while others keep writing),
// or pg_dump's custom format, one repeatable-read snapshot. It records a
// database.backup audit event first, so the copy carries it. The file
// appears under its name only when complete.
func Backup(ctx context.Context, gdb *gorm.DB, clk clock.Clock, databaseURL, out string) (string, error) {
	if _, err := os.Stat(out); err == nil {
		return "", fmt.Errorf("%s exists: choose a new file name", out)
	}
	format := FormatSQLite
	if db.Dialect(gdb) == db.Postgres {
		format = FormatPGDump
		if _, err := exec.LookPath("pg_dump"); err != nil {
			return "", ErrNoPGDump
		}
	}
	err := db.Tx(ctx, gdb, clk, func(tx *gorm.DB) error {
		return audit.Record(tx, db.Now(tx, clk), access.System(), audit.Entry{Action: ActionBackup, SubjectType: "database",
			SubjectID: filepath.Base(out), Details: map[string]string{"format": format}})
	})
	if err != nil {
		return "", err
	}
	tmp := out + partialSuffix
	_ = os.Remove(tmp)
	if format == FormatSQLite {
		err = gdb.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error
	} else {
		err = pgTool(ctx, "pg_dump", databaseURL, "--format=custom", "--no-owner", "--no-privileges", "--file="+tmp)
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("backup: %w", err)
	}
	return format, nil
}

// Restore loads a backup into the empty database at databaseURL: a SQLite
// backup becomes the SQLite file (which must not exist yet, or be empty);
// a pg_dump archive is restored by pg_restore in one transaction, so a
// failed restore leaves the database empty. A backup of one dialect does
// not restore into the other.
func Restore(ctx context.Context, databaseURL, file string) (string, error) {
	format, err := backupFormat(file)
	if err != nil {
		return "", err
	}
	switch {
	case format == FormatSQLite && !db.IsPostgres(databaseURL):
		return format, restoreSQLite(ctx, databaseURL, file)
	case format == FormatPGDump && db.IsPostgres(databaseURL):
		return format, restorePostgres(ctx, databaseURL, file)
	case format == FormatSQLite:
		return "", errors.New("this is a SQLite backup: restore it into a SQLite DATABASE_URL (a file path)")
	default:
		return "", errors.New("this is a PostgreSQL backup: restore it into a postgres:// DATABASE_URL")
	}
}

// backupFormat tells a SQLite file from a pg_dump archive.
func backupFormat(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, _ := io.ReadFull(f, head)
	switch {
	case bytes.HasPrefix(head[:n], []byte(sqliteMagic)):
		return FormatSQLite, nil
	case bytes.HasPrefix(head[:n], []byte(pgDumpMagic)):
		return FormatPGDump, nil
	}
	return "", fmt.Errorf("%s is neither a SQLite backup nor a pg_dump custom-format archive", file)
}

// restoreSQLite checks the backup's integrity, then copies it into place
// under a temporary name and renames it, so the database file appears whole.
func restoreSQLite(ctx context.Context, databaseURL, file string) error {
	path := sqlitePath(databaseURL)
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		return fmt.Errorf("%s is not empty: restore into a new database file", path)
	}
	tmp := path + partialSuffix
	if err := copyFile(file, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := integrityCheck(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// integrityCheck runs SQLite's own check of every page and index.
func integrityCheck(ctx context.Context, path string) error {
	check, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		return err
	}
	defer db.Close(check)
	var res string
	if err := check.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&res).Error; err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("the backup is damaged: %s", res)
	}
	return nil
}

// restorePostgres refuses a database that has tables, then runs pg_restore.
func restorePostgres(ctx context.Context, databaseURL, file string) error {
	if _, err := exec.LookPath("pg_restore"); err != nil {
		return ErrNoPGDump
	}
	target, err := db.Open(ctx, databaseURL, db.Options{MaxOpenConns: 1})
	if err != nil {
		return err
	}
	var tables int64
	err = target.WithContext(ctx).Raw(`SELECT count(*) FROM information_schema.tables
		WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`).Scan(&tables).Error
	_ = db.Close(target)
	if err != nil {
		return err
	}
	if tables > 0 {
		return fmt.Errorf("the target database has %d tables: restore into an empty database (createdb a new one)", tables)
	}
	return pgTool(ctx, "pg_restore", databaseURL, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file)
}

// pgTool runs pg_dump or pg_restore against databaseURL; the password
// travels in the environment, not the process list.
func pgTool(ctx context.Context, tool, databaseURL string, args ...string) error {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return errors.New("DATABASE_URL is not a URL")
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, tool, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// sqlitePath is the file a SQLite DATABASE_URL names.
func sqlitePath(databaseURL string) string {
	p := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite://"), "file:")
	p, _, _ = strings.Cut(p, "?")
	return p
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		_ = dst.Close()
		return err
	}
	return dst.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
