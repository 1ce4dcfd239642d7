package db

import (
	"fmt"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// replicaName is the one resolver registered: statements reach the replica
// only by asking for it with Reads, so nothing reads from it by default.
const replicaName = "replica"

// attachReplica registers the read replica at readURL on gdb. The pool
// follows the primary's settings.
func attachReplica(gdb *gorm.DB, readURL string, opts Options) error {
	r := dbresolver.Register(dbresolver.Config{Replicas: []gorm.Dialector{postgres.New(postgres.Config{DSN: readURL})}}, replicaName)
	if err := gdb.Use(r); err != nil {
		return fmt.Errorf("connect to the read replica (DATABASE_READ_URL): %s", redact(err, readURL))
	}
	r.SetMaxOpenConns(max(opts.MaxOpenConns, 1)).SetMaxIdleConns(opts.MaxIdleConns).SetConnMaxLifetime(opts.ConnMaxLifetime)
	return nil
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
