package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/db/dbtest"
)

// TestMigrateDownRefusesToDropData: rolling back the audit chain's
// migration while the chain holds links is refused, naming the table and
// its rows, and changes nothing; with --force it rolls back.
func TestMigrateDownRefusesToDropData(t *testing.T) {
	ctx := context.Background()
	url := filepath.Join(t.TempDir(), "muster.db")
	gdb := dbtest.Open(t, url)
	t.Setenv("DATABASE_URL", url)
	err := db.Tx(ctx, gdb, nil, func(tx *gorm.DB) error {
		return audit.Record(tx, time.Now(), access.System(), audit.Entry{Action: "user.create", SubjectType: "user", SubjectID: "u1"})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.NewMigrator(gdb)
	if err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		var v int64
		gdb.Raw("SELECT max(version_id) FROM goose_db_version").Scan(&v)
		return v
	}
	// Later migrations are rolled back by force, down to the audit chain's.
	for version() > 15 {
		if err := runMigrate(ctx, []string{"down", "--force"}); err != nil {
			t.Fatal(err)
		}
	}
	losses, err := m.DownLosses(ctx, gdb)
	if err != nil || len(losses) == 0 {
		t.Fatalf("losses of rolling back the audit chain: %v %v", losses, err)
	}
	err = runMigrate(ctx, []string{"down"})
	if err == nil || !strings.Contains(err.Error(), "audit_chain (1 rows)") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("down without --force: %v", err)
	}
	if version() != 15 {
		t.Fatalf("a refused down changed the schema to %d", version())
	}
	if err := runMigrate(ctx, []string{"down", "--force"}); err != nil {
		t.Fatal(err)
	}
	if version() >= 15 {
		t.Fatal("down --force did not roll back")
	}
}
