package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// queueLockKey is the PostgreSQL advisory lock that keeps two processes from
// migrating the job queue's tables at once ("muster-q").
const queueLockKey = 0x6d75737465722d71

// QueueDriver is the job queue's (River's) driver over gdb's connection pool:
// the same pool and the same *sql.Tx as GORM's, so a job inserted inside a
// service's transaction commits or rolls back with it.
func QueueDriver(gdb *gorm.DB) riverdriver.Driver[*sql.Tx] {
	if Dialect(gdb) == Postgres {
		return riverdatabasesql.New(SQL(gdb))
	}
	return riversqlite.New(SQL(gdb))
}

// SQLTx is the database/sql transaction under tx, for the job queue.
func SQLTx(tx *gorm.DB) (*sql.Tx, error) {
	stx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("job queue: insert outside a transaction (%T)", tx.Statement.ConnPool)
	}
	return stx, nil
}

// queueMigrator runs River's own migrations, which it ships per dialect.
func queueMigrator(gdb *gorm.DB) (*rivermigrate.Migrator[*sql.Tx], error) {
	return rivermigrate.New(QueueDriver(gdb), nil)
}

// migrateQueue applies River's pending migrations and answers how many.
func migrateQueue(ctx context.Context, gdb *gorm.DB) (int, error) {
	m, err := queueMigrator(gdb)
	if err != nil {
		return 0, err
	}
	if Dialect(gdb) == Postgres {
		conn, err := SQL(gdb).Conn(ctx)
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(queueLockKey)); err != nil {
			return 0, err
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(queueLockKey))
		}()
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("job queue migrations: %w", err)
	}
	return len(res.Versions), nil
}

// queueStatus lists River's migrations and which are applied.
func queueStatus(ctx context.Context, gdb *gorm.DB) ([]MigrationStatus, error) {
	m, err := queueMigrator(gdb)
	if err != nil {
		return nil, err
	}
	have, err := m.ExistingVersions(ctx)
	if err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	for _, v := range have {
		applied[v.Version] = true
	}
	var out []MigrationStatus
	for _, v := range m.AllVersions() {
		out = append(out, MigrationStatus{Version: int64(v.Version), Name: "river/" + v.Name, Applied: applied[v.Version]})
	}
	return out, nil
}

// downQueue rolls back River's most recent migration.
func downQueue(ctx context.Context, gdb *gorm.DB) error {
	m, err := queueMigrator(gdb)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{MaxSteps: 1})
	return err
}
