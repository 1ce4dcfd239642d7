package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/export"
	"muster/internal/testworld"
)

// TestReadReplicaRouting gives muster a "replica" that is another
// database, so every row shows which side it was read from: catalogue
// searches and exports come from the replica; a single course, enrollment
// decisions (and their reads) and the export's audit event go to the
// primary.
func TestReadReplicaRouting(t *testing.T) {
	ctx := context.Background()
	replicaURL := dbtest.PostgresURL(t)
	rw := testworld.New(t, dbtest.Open(t, replicaURL))
	onReplica := training(rw, "Replica Trainee")

	primary, err := db.Open(ctx, dbtest.PostgresURL(t), db.Options{MaxOpenConns: 4, MaxIdleConns: 4, ConnMaxLifetime: time.Hour, ReadURL: replicaURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(primary) })
	if err := db.MigrateUp(ctx, primary); err != nil {
		t.Fatal(err)
	}
	pw := testworld.New(t, primary)
	onPrimary := training(pw, "Primary Trainee") // enrolls: a decision, read and written on the primary

	found := func(code string) bool {
		page, err := pw.App.Courses.Search(ctx, pw.Admin, catalog.Query{Q: code})
		if err != nil {
			t.Fatal(err)
		}
		return page.Total == 1
	}
	if !found(onReplica.code) || found(onPrimary.code) {
		t.Fatalf("catalogue search: replica's %s found %v, primary's %s found %v", onReplica.code, found(onReplica.code), onPrimary.code, found(onPrimary.code))
	}
	if _, err := pw.App.Courses.Get(ctx, pw.Admin, onPrimary.code); err != nil {
		t.Fatalf("a single course comes from the primary: %v", err)
	}

	req := export.Request{Kind: export.TrainingRecords, Format: export.FormatCSV}
	ex, err := pw.App.Exports.Prepare(pw.Admin, req)
	if err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if _, err := ex.Stream(ctx, &csv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "Replica Trainee") || strings.Contains(csv.String(), "Primary Trainee") {
		t.Fatalf("the export did not read the replica:\n%s", csv.String())
	}
	exportEvents := func(gdb *gorm.DB) (n int64) {
		gdb.Raw("SELECT count(*) FROM audit_events WHERE subject_type = 'export'").Scan(&n)
		return n
	}
	if exportEvents(primary) != 1 || exportEvents(rw.DB) != 0 {
		t.Fatalf("the export's audit event: %d on the primary, %d on the replica", exportEvents(primary), exportEvents(rw.DB))
	}
	// Without a replica, Reads is the primary itself.
	if db.Reads(rw.DB) != rw.DB {
		t.Fatal("Reads without a replica must be the primary handle")
	}
}

type trained struct{ code string }

// training publishes a course in w, opens a cohort of it and enrolls a
// trainee named name.
func training(w *testworld.World, name string) trained {
	w.T.Helper()
	agency := w.Agency("RP", "TJ")
	coord := w.Person(agency, "Replica Coordinator", access.Coordinator)
	c := w.Course(coord, testworld.Standard{})
	co := w.Cohort(coord, testworld.Plan{Course: c, StartsOn: "2026-05-04", EndsOn: "2026-05-08"})
	w.Trainee(co, agency, name)
	return trained{code: c.Code}
}
