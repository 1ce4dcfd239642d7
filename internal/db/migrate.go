package db

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"

	"muster/migrations"
)

// Migrator applies the embedded migrations of the database's dialect, then
// the job queue's (River's) own.
type Migrator struct {
	p   *goose.Provider
	gdb *gorm.DB
}

// NewMigrator prepares goose for gdb. On PostgreSQL an advisory session lock
// keeps two processes that start together from migrating at once.
func NewMigrator(gdb *gorm.DB) (*Migrator, error) {
	dir, dialect := "sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if Dialect(gdb) == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	fsys, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(dialect, SQL(gdb), fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return &Migrator{p: p, gdb: gdb}, nil
}

// Up applies every pending migration and returns how many it applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.p.Up(ctx)
	if err != nil {
		return len(res), err
	}
	n, err := migrateQueue(ctx, m.gdb)
	return len(res) + n, err
}

// Down rolls back the most recent of muster's migrations; once none is
// left, the job queue's most recent.
func (m *Migrator) Down(ctx context.Context) error {
	v, err := m.p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if v > 0 {
		_, err = m.p.Down(ctx)
		return err
	}
	return downQueue(ctx, m.gdb)
}

// Pending reports whether migrations remain to be applied.
func (m *Migrator) Pending(ctx context.Context) (bool, error) {
	if pending, err := m.p.HasPending(ctx); err != nil || pending {
		return pending, err
	}
	queue, err := queueStatus(ctx, m.gdb)
	if err != nil {
		return false, err
	}
	for _, q := range queue {
		if !q.Applied {
			return true, nil
		}
	}
	return false, nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// Status lists every migration in order.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	sts, err := m.p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, 0, len(sts))
	for _, s := range sts {
		out = append(out, MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	queue, err := queueStatus(ctx, m.gdb)
	return append(out, queue...), err
}

// MigrateUp is NewMigrator followed by Up.
func MigrateUp(ctx context.Context, gdb *gorm.DB) error {
	m, err := NewMigrator(gdb)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}
