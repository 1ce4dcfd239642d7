package ops_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/ops"
	"muster/internal/testworld"
)

// dialects names each database kind with a way to get an empty one.
var dialects = []struct {
	name string
	url  func(testing.TB) string
}{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "muster.db") }},
	{"postgres", dbtest.PostgresDatabaseURL},
}

// TestBackupUnderWriteLoadRestores takes a backup while writers keep
// creating courses, restores it into an empty database, and finds every
// course committed before the backup began, each with its audit event, no
// course that was never committed, the backup's own audit event and an
// intact audit chain.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			src := d.url(t)
			gdb := dbtest.Open(t, src)
			w := testworld.New(t, gdb)
			coord := w.Person(w.Agency("BK", "TJ"), "Backup Coordinator", access.Coordinator)

			var mu sync.Mutex
			committed := map[string]bool{}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(chan error, 3)
			for writer := range 3 {
				wg.Go(func() {
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						code := fmt.Sprintf("BK-%d%03d", writer+1, n)
						_, err := w.App.Courses.Create(ctx, coord, catalog.CourseInput{Code: code, Title: "Backup " + code,
							Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person", DurationHours: 8,
							Languages: []string{"en"}, Status: catalog.StatusPublished})
						if err != nil {
							errs <- err
							return
						}
						mu.Lock()
						committed[code] = true
						mu.Unlock()
					}
				})
			}
			count := func() int { mu.Lock(); defer mu.Unlock(); return len(committed) }
			waitUntil(t, func() bool { return count() >= 30 })
			mu.Lock()
			before := make([]string, 0, len(committed))
			for c := range committed {
				before = append(before, c)
			}
			mu.Unlock()

			file := filepath.Join(t.TempDir(), "muster.backup")
			format, err := ops.Backup(ctx, gdb, w.Clock, src, file)
			if err != nil {
				t.Fatal(err)
			}
			atBackupEnd := count()
			waitUntil(t, func() bool { return count() >= atBackupEnd+10 }) // the load went on
			close(stop)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("writer: %v", err)
			}
			t.Logf("%s backup with %d courses committed before it, %d after it ended", format, len(before), count())

			if _, err := ops.Backup(ctx, gdb, w.Clock, src, file); err == nil || !strings.Contains(err.Error(), "exists") {
				t.Fatalf("a second backup over the same file: %v", err)
			}
			if _, err := ops.Restore(ctx, src, file); err == nil {
				t.Fatal("restored over a database that has data")
			}

			dst := d.url(t)
			if _, err := ops.Restore(ctx, dst, file); err != nil {
				t.Fatal(err)
			}
			restored, err := db.Open(ctx, dst, db.Options{MaxOpenConns: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close(restored)
			m, err := db.NewMigrator(restored)
			if err != nil {
				t.Fatal(err)
			}
			if pending, err := m.Pending(ctx); err != nil || pending {
				t.Fatalf("restored schema pending=%v: %v", pending, err)
			}
			var rows []struct{ ID, Code string }
			if err := restored.Raw("SELECT id, code FROM courses WHERE code LIKE 'BK-%'").Scan(&rows).Error; err != nil {
				t.Fatal(err)
			}
			have := map[string]string{}
			for _, r := range rows {
				have[r.Code] = r.ID
				if !committed[r.Code] {
					t.Errorf("restored course %s was never committed", r.Code)
				}
			}
			for _, c := range before {
				if have[c] == "" {
					t.Errorf("course %s, committed before the backup, is missing", c)
				}
			}
			var audited int64
			if err := restored.Raw("SELECT count(*) FROM audit_events e JOIN courses c ON CAST(c.id AS TEXT) = e.subject_id WHERE e.action = 'course.create' AND c.code LIKE 'BK-%'").Scan(&audited).Error; err != nil {
				t.Fatal(err)
			}
			if int(audited) != len(rows) {
				t.Errorf("%d restored courses but %d course.create events", len(rows), audited)
			}
			var marks int64
			restored.Raw("SELECT count(*) FROM audit_events WHERE action = ? AND subject_id = ?", ops.ActionBackup, "muster.backup").Scan(&marks)
			if marks != 1 {
				t.Errorf("the backup carries %d database.backup events, want 1", marks)
			}
			rep, err := (&audit.Service{DB: restored}).Verify(ctx)
			if err != nil || rep.Break != nil || rep.Links < int64(len(rows)) {
				t.Fatalf("restored audit chain: %+v %v", rep, err)
			}
		})
	}
}
