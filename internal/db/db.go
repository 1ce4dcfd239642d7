// Package db opens muster's database (embedded SQLite or PostgreSQL), applies
// the embedded migrations and runs transactions.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names, as GORM's dialectors report them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Options tune the connection pool.
type Options struct {
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	Logger          *slog.Logger
	// ReadURL is an optional PostgreSQL replica for reads that may lag (Reads).
	ReadURL string
}

// IsPostgres reports whether url selects PostgreSQL rather than a SQLite file.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open connects to the database named by url: postgres://... for PostgreSQL,
// anything else is a SQLite file path (optionally with a file: prefix).
func Open(ctx context.Context, url string, opts Options) (*gorm.DB, error) {
	cfg := &gorm.Config{
		TranslateError:         true, // duplicate keys and foreign keys become gorm.ErrDuplicatedKey / ErrForeignKeyViolated
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true, // services open their own transactions
		Logger:                 logger.Discard,
	}
	var dialector gorm.Dialector
	if IsPostgres(url) {
		dialector = postgres.New(postgres.Config{DSN: url})
	} else {
		dialector = sqlite.Open(sqliteDSN(url))
	}
	gdb, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %s", redact(err, url))
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, err
	}
	if IsPostgres(url) {
		sqlDB.SetMaxOpenConns(max(opts.MaxOpenConns, 1))
		sqlDB.SetMaxIdleConns(opts.MaxIdleConns)
		sqlDB.SetConnMaxLifetime(opts.ConnMaxLifetime)
		if opts.ReadURL != "" {
			if err := attachReplica(gdb, opts.ReadURL, opts); err != nil {
				_ = sqlDB.Close()
				return nil, err
			}
		}
	} else {
		// One writer at a time is SQLite's nature; a few connections let readers
		// proceed under WAL while the busy timeout queues writers.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to database: %s", redact(err, url))
	}
	return gdb, nil
}

// sqliteDSN adds the pragmas muster relies on: WAL for concurrent readers, a
// busy timeout so writers queue instead of failing, foreign keys enforced, and
// BEGIN IMMEDIATE so a transaction that will write takes the lock up front.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "sqlite://")
	if !strings.HasPrefix(path, "file:") {
		path = "file:" + path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
}

// redact keeps passwords in a database URL out of error messages and logs.
func redact(err error, raw string) string {
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// Dialect returns SQLite or Postgres for an open database.
func Dialect(gdb *gorm.DB) string { return gdb.Dialector.Name() }

// Close closes the underlying pool, and the read replica's.
func Close(gdb *gorm.DB) error {
	if p, ok := gdb.Config.Plugins[readPool{}.Name()].(readPool); ok {
		_ = p.Close()
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers within ctx.
func Ping(ctx context.Context, gdb *gorm.DB) error {
	sqlDB, err := gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// SQL returns the underlying *sql.DB.
func SQL(gdb *gorm.DB) *sql.DB {
	sqlDB, err := gdb.DB()
	if err != nil {
		panic(err) // only for a gorm.DB not opened by Open
	}
	return sqlDB
}

// IsDuplicate reports whether err is a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// IsNotFound reports whether err means no row matched.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// DataError returns the SQLSTATE when PostgreSQL refused a value itself
// (class 22: text that is no uuid, a NUL byte, a string too long, a number
// out of range), else "". Input is validated before it reaches SQL; this is
// the safety net that keeps a missed case a client error.
func DataError(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22") {
		return pgErr.Code
	}
	return ""
}
