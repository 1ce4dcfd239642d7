package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"muster/internal/db"
)

// ReadURL is the streaming replica of the test cluster that CI starts
// (.ci/replica), from TEST_DATABASE_READ_URL; "" when there is none.
func ReadURL() string { return os.Getenv("TEST_DATABASE_READ_URL") }

// Reads is the handle a test's exports read through: db.Reads of
// WithReplica, so on PostgreSQL they read from the CI's streaming replica
// when there is one, and from gdb otherwise.
func Reads(t testing.TB, gdb *gorm.DB) *gorm.DB {
	t.Helper()
	return db.Reads(WithReplica(t, gdb))
}

// WithReplica reopens a PostgreSQL test database (its schema included) with
// the replica in TEST_DATABASE_READ_URL as its DATABASE_READ_URL, as muster
// runs in production; without one, or on SQLite, it is gdb itself. Every
// statement first waits until the replica has replayed everything the
// primary has flushed, so a test reads what it wrote. A replica that is
// named but does not answer fails the test.
func WithReplica(t testing.TB, gdb *gorm.DB) *gorm.DB {
	t.Helper()
	pg, ok := gdb.Dialector.(*postgres.Dialector)
	if !ok || ReadURL() == "" {
		return gdb
	}
	primaryURL := pg.Config.DSN
	readURL, err := replicaOf(primaryURL, ReadURL())
	if err != nil {
		t.Fatalf("TEST_DATABASE_READ_URL: %v", err)
	}
	rdb, err := db.Open(context.Background(), primaryURL, db.Options{MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour, ReadURL: readURL})
	if err != nil {
		t.Fatalf("the replica in TEST_DATABASE_READ_URL does not answer: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(rdb) })
	primary, replica := adminDB(t), replicaDB(t)
	catchUp := func(tx *gorm.DB) {
		if err := waitForReplay(tx.Statement.Context, primary, replica); err != nil {
			_ = tx.AddError(err)
		}
	}
	cb := rdb.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register("dbtest:catch_up", catchUp),
		cb.Row().Before("gorm:row").Register("dbtest:catch_up", catchUp),
		cb.Raw().Before("gorm:raw").Register("dbtest:catch_up", catchUp),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	var inRecovery bool
	if err := db.Reads(rdb).Raw("SELECT pg_is_in_recovery()").Scan(&inRecovery).Error; err != nil || !inRecovery {
		t.Fatalf("TEST_DATABASE_READ_URL is not a replica in recovery (%v)", err)
	}
	return rdb
}

// replicaOf is primaryURL (database, schema and options) on the replica's
// host, port and user.
func replicaOf(primaryURL, replicaURL string) (string, error) {
	p, err := url.Parse(primaryURL)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(replicaURL)
	if err != nil {
		return "", err
	}
	p.Host, p.User = r.Host, r.User
	return p.String(), nil
}

// waitForReplay waits until the replica has replayed the primary's WAL up
// to what the primary has flushed now, which every committed write is in.
func waitForReplay(ctx context.Context, primary, replica *sql.DB) error {
	var lsn string
	if err := primary.QueryRowContext(ctx, "SELECT pg_current_wal_flush_lsn()::text").Scan(&lsn); err != nil {
		return fmt.Errorf("primary's WAL position: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var done bool
		if err := replica.QueryRowContext(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done); err != nil {
			return fmt.Errorf("replica's replay position: %w", err)
		}
		if done {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the replica has not replayed up to %s in 30s", lsn)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var (
	replicaOnce sync.Once
	replica     *sql.DB
	replicaErr  error
)

// replicaDB is one shared connection pool to the replica for replay checks.
func replicaDB(t testing.TB) *sql.DB {
	t.Helper()
	replicaOnce.Do(func() {
		if replica, replicaErr = sql.Open("pgx", ReadURL()); replicaErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		replicaErr = replica.PingContext(ctx)
	})
	if replicaErr != nil {
		t.Fatalf("the replica in TEST_DATABASE_READ_URL does not answer: %v", replicaErr)
	}
	return replica
}
