package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/export"
	"muster/internal/export/exporttest"
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

	found := func(code string) bool { return searchFinds(t, pw, code) }
	if !found(onReplica.code) || found(onPrimary.code) {
		t.Fatalf("catalogue search: replica's %s found %v, primary's %s found %v", onReplica.code, found(onReplica.code), onPrimary.code, found(onPrimary.code))
	}
	if _, err := pw.App.Courses.Get(ctx, pw.Admin, onPrimary.code); err != nil {
		t.Fatalf("a single course comes from the primary: %v", err)
	}

	if csv := exportCSV(t, pw); !strings.Contains(csv, "Replica Trainee") || strings.Contains(csv, "Primary Trainee") {
		t.Fatalf("the export did not read the replica:\n%s", csv)
	}
	// The certificate CSV is written by COPY on a connection of its own: from the replica's pool too.
	seeded := exporttest.Seed(t, rw.DB, exporttest.Agency(t, rw.DB, "RPA", "IR"), exporttest.Agency(t, rw.DB, "RPB", "TJ"))
	if csv := exportCertificates(t, pw); !strings.Contains(csv, seeded.Certificates["C1"].Number) {
		t.Fatalf("the certificate export did not read the replica:\n%s", csv)
	}
	exportEvents := func(gdb *gorm.DB) (n int64) {
		gdb.Raw("SELECT count(*) FROM audit_events WHERE subject_type = 'export'").Scan(&n)
		return n
	}
	if exportEvents(primary) != 2 || exportEvents(rw.DB) != 0 {
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

// TestExportsReadTheStreamingReplica runs muster with the CI's streaming
// replica of the test cluster (.ci/replica, TEST_DATABASE_READ_URL) as
// DATABASE_READ_URL: an enrollment decided on the primary reaches the
// export, which reads a server in recovery.
func TestExportsReadTheStreamingReplica(t *testing.T) {
	if dbtest.ReadURL() == "" {
		t.Skip("!!! TEST_DATABASE_READ_URL unset: no streaming replica of the test cluster (.ci/replica)")
	}
	gdb := dbtest.WithReplica(t, dbtest.Postgres(t))
	w := testworld.New(t, gdb)
	training(w, "Streamed Trainee")
	if csv := exportCSV(t, w); !strings.Contains(csv, "Streamed Trainee") {
		t.Fatalf("the export from the replica lacks the trainee:\n%s", csv)
	}
	var inRecovery bool
	if err := db.Reads(gdb).Raw("SELECT pg_is_in_recovery()").Scan(&inRecovery).Error; err != nil || !inRecovery {
		t.Fatalf("exports do not read the replica: in recovery %v, %v", inRecovery, err)
	}
}

func exportCertificates(t *testing.T, w *testworld.World) string {
	t.Helper()
	ex, err := w.App.Exports.Prepare(w.Admin, export.Request{Kind: export.Certificates, Format: export.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := ex.Stream(w.Ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
