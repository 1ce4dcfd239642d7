package db_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db"
	"muster/internal/db/dbtest"
)

// TestMigrationsUpDownUp applies every migration, rolls each back in turn and
// applies them again, on both dialects, so every Down section works.
func TestMigrationsUpDownUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		m, err := db.NewMigrator(gdb)
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := m.Pending(ctx); err != nil || pending {
			t.Fatalf("pending after migrating: %v %v", pending, err)
		}
		sts, err := m.Status(ctx)
		if err != nil || len(sts) < 2 {
			t.Fatalf("status: %v %v", sts, err)
		}
		for range sts {
			if err := m.Down(ctx); err != nil {
				t.Fatalf("down: %v", err)
			}
		}
		if gdb.Migrator().HasTable("users") {
			t.Fatal("users table left after rolling everything back")
		}
		if pending, _ := m.Pending(ctx); !pending {
			t.Fatal("nothing pending after rolling back")
		}
		n, err := m.Up(ctx)
		if err != nil || n != len(sts) {
			t.Fatalf("up again: %d %v", n, err)
		}
	})
}

func TestOpenRefusesBadURLWithoutLeakingPassword(t *testing.T) {
	_, err := db.Open(context.Background(), "postgres://muster:s3cret-pw@127.0.0.1:1/muster?sslmode=disable&connect_timeout=1", db.Options{MaxOpenConns: 1})
	if err == nil {
		t.Fatal("connected to a closed port")
	}
	if contains(err.Error(), "s3cret-pw") {
		t.Fatalf("error shows the password: %v", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
