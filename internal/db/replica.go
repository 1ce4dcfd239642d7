package db

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // the replica's database/sql driver
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// replicaName is the one resolver registered: statements reach the replica
// only by asking for it with Reads, so nothing reads from it by default.
const replicaName = "replica"

// readPool keeps the replica's own connection pool on the handle, for reads
// that need a connection rather than a statement (COPY) and for Close.
type readPool struct{ *sql.DB }

func (readPool) Name() string              { return "muster:read_pool" }
func (readPool) Initialize(*gorm.DB) error { return nil }

// attachReplica registers the read replica at readURL on gdb. The pool
// follows the primary's settings.
func attachReplica(gdb *gorm.DB, readURL string, opts Options) error {
	pool, err := sql.Open("pgx", readURL)
	if err != nil {
		return fmt.Errorf("connect to the read replica (DATABASE_READ_URL): %s", redact(err, readURL))
	}
	r := dbresolver.Register(dbresolver.Config{Replicas: []gorm.Dialector{postgres.New(postgres.Config{Conn: pool})}}, replicaName)
	if err := gdb.Use(r); err != nil {
		_ = pool.Close()
		return fmt.Errorf("connect to the read replica (DATABASE_READ_URL): %s", redact(err, readURL))
	}
	r.SetMaxOpenConns(max(opts.MaxOpenConns, 1)).SetMaxIdleConns(opts.MaxIdleConns).SetConnMaxLifetime(opts.ConnMaxLifetime)
	return gdb.Use(readPool{pool})
}

// Reads is the handle for reads that may lag behind the primary (the
// catalogue, exports, reports): they go to the read replica when one is
// configured, else to the primary. Never use it for a decision, nor begin
// a transaction on it: every write, and every read a decision rests on,
// goes through the primary handle (inside a transaction dbresolver keeps
// to the transaction's connection anyway).
func Reads(gdb *gorm.DB) *gorm.DB {
	if _, ok := gdb.Config.Plugins[(&dbresolver.DBResolver{}).Name()]; !ok {
		return gdb
	}
	return gdb.Clauses(dbresolver.Use(replicaName), dbresolver.Read).Session(&gorm.Session{})
}

// ReadPool is the connection pool Reads reads from: the replica's when one
// is configured, else the primary's.
func ReadPool(gdb *gorm.DB) (*sql.DB, error) {
	if p, ok := gdb.Config.Plugins[readPool{}.Name()].(readPool); ok {
		return p.DB, nil
	}
	return gdb.DB()
}
