package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"muster/internal/catalog"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/export"
	"muster/internal/testworld"
)

// TestStreamingReplica runs muster on a private PostgreSQL cluster with a
// real streaming replica (pg_basebackup) as DATABASE_READ_URL. While the
// replica's replay is paused, a new course and enrollment are decided on
// the primary (decisions never wait for the replica), but the catalogue
// search and the export do not show them yet: they read the replica. Once
// replay resumes, both show them.
func TestStreamingReplica(t *testing.T) {
	ctx := context.Background()
	primaryCluster := dbtest.StartCluster(t)
	replicaCluster := primaryCluster.StartReplica()
	gdb, err := db.Open(ctx, primaryCluster.URL("postgres"), db.Options{MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour,
		ReadURL: replicaCluster.URL("postgres")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(gdb) })
	if err := db.MigrateUp(ctx, gdb); err != nil {
		t.Fatal(err)
	}
	w := testworld.New(t, gdb)
	replica := replicaCluster.SQL()
	caughtUp := func() {
		t.Helper()
		var lsn string
		if err := gdb.Raw("SELECT pg_current_wal_lsn()::text").Scan(&lsn).Error; err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool {
			var ok bool
			return replica.QueryRow("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&ok) == nil && ok
		})
	}
	first := training(w, "First Trainee")
	caughtUp()
	if csv := exportCSV(t, w); !strings.Contains(csv, "First Trainee") {
		t.Fatalf("the export from the caught-up replica lacks the first trainee:\n%s", csv)
	}
	if !searchFinds(t, w, first.code) {
		t.Fatal("the caught-up replica's catalogue lacks the first course")
	}

	exec(t, replica, "SELECT pg_wal_replay_pause()")
	waitFor(t, func() bool {
		var state string
		return replica.QueryRow("SELECT pg_get_wal_replay_pause_state()").Scan(&state) == nil && state == "paused"
	})
	second := training(w, "Second Trainee") // a course, a cohort and an enrollment decided on the primary
	if csv := exportCSV(t, w); strings.Contains(csv, "Second Trainee") {
		t.Fatal("the export read the primary, not the paused replica")
	}
	if searchFinds(t, w, second.code) {
		t.Fatal("the catalogue search read the primary, not the paused replica")
	}
	if _, err := w.App.Courses.Get(ctx, w.Admin, second.code); err != nil {
		t.Fatalf("a single course is read from the primary: %v", err)
	}

	exec(t, replica, "SELECT pg_wal_replay_resume()")
	caughtUp()
	if csv := exportCSV(t, w); !strings.Contains(csv, "Second Trainee") {
		t.Fatal("the export lacks the second trainee after the replica caught up")
	}
	if !searchFinds(t, w, second.code) {
		t.Fatal("the catalogue lacks the second course after the replica caught up")
	}
}

func exportCSV(t *testing.T, w *testworld.World) string {
	t.Helper()
	ex, err := w.App.Exports.Prepare(w.Admin, export.Request{Kind: export.TrainingRecords, Format: export.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := ex.Stream(w.Ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func searchFinds(t *testing.T, w *testworld.World, code string) bool {
	t.Helper()
	page, err := w.App.Courses.Search(w.Ctx, w.Admin, catalog.Query{Q: code})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total == 1
}

func exec(t *testing.T, s *sql.DB, q string) {
	t.Helper()
	if _, err := s.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
