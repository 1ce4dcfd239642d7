package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/audit"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/db/dbtest"
)

// TestAuditCommands: verify passes on an intact trail and prints its head;
// archive refuses events younger than the retention period, writes a file and verify still passes; a row changed through raw
// SQL (triggers off, as a superuser or the SQLite file's owner could) makes
// verify fail naming that event.
func TestAuditCommands(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", dbtest.SQLiteURL}, {"postgres", dbtest.PostgresURL}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			t.Setenv("DATABASE_URL", tc.url(t))
			cfg, _ := config.Load()
			a, err := app.Open(ctx, cfg, newLogger(cfg))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if err := a.EnsureMigrated(ctx, true); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for i := range 4 {
				err := db.Tx(ctx, a.DB, nil, func(tx *gorm.DB) error {
					return audit.Record(tx, time.Date(2024, 1, 1+i, 9, 0, 0, 0, time.UTC), access.System(),
						audit.Entry{Action: "user.create", SubjectType: "user", SubjectID: fmt.Sprint("u", i)})
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			a.DB.Model(&audit.Event{}).Order("id").Pluck("id", &ids)

			var out bytes.Buffer
			if err := auditVerify(ctx, nil, &out); err != nil || !strings.Contains(out.String(), "intact: 4 events") {
				t.Fatalf("verify: %v\n%s", err, out.String())
			}
			head := strings.Fields(strings.Split(out.String(), "\n")[1])[1]

			file := filepath.Join(t.TempDir(), "audit-2024.ndjson")
			young := time.Now().AddDate(0, -6, 0).Format(time.DateOnly)
			if err := auditArchive(ctx, []string{"--before", young, "--out", file}, &out); err == nil || !strings.Contains(err.Error(), "MUSTER_AUDIT_RETENTION_DAYS") {
				t.Fatalf("archiving events younger than the retention period: %v", err)
			}
			out.Reset()
			if err := auditArchive(ctx, []string{"--before", "2024-01-03", "--out", file}, &out); err != nil || !strings.Contains(out.String(), "archived 2 events") {
				t.Fatalf("archive: %v\n%s", err, out.String())
			}
			if b, err := os.ReadFile(file); err != nil || strings.Count(string(b), "\n") != 2 {
				t.Fatalf("archive file: %v %q", err, b)
			}
			if err := auditArchive(ctx, []string{"--before", "2024-01-03", "--out", file}, &out); err == nil {
				t.Fatal("archive overwrote an existing file")
			}
			out.Reset()
			if err := auditVerify(ctx, []string{"--anchor", head}, &out); err != nil || !strings.Contains(out.String(), "archived  seq 1..2") {
				t.Fatalf("verify after archive: %v\n%s", err, out.String())
			}

			victim := ids[3]
			err = a.DB.Connection(func(conn *gorm.DB) error {
				if db.Dialect(conn) == db.Postgres {
					conn.Exec("SET session_replication_role = replica")
				} else {
					conn.Exec("DROP TRIGGER audit_events_no_update")
				}
				return conn.Exec("UPDATE audit_events SET details = ? WHERE id = ?", `{"note":"nothing happened"}`, victim).Error
			})
			if err != nil {
				t.Fatal(err)
			}
			err = auditVerify(ctx, nil, &out)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("event id %d", victim)) || !strings.Contains(err.Error(), "changed") {
				t.Fatalf("verify after tampering with event %d: %v", victim, err)
			}
		})
	}
}
