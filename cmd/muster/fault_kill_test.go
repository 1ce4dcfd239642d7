package main

import (
	"context"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/loadgen"
	"muster/internal/testworld"
)

// TestFaultProcessKilledMidStorm kills one of two real muster processes
// with SIGKILL while 500 trainees storm a 40-seat cohort through both. The
// other process answers every trainee sent to it; every answered decision
// is in the database as answered; the only rows nobody was told of are
// requests in flight on the killed process (at most the number in flight);
// every stored request has its audit event; nobody is overbooked and the
// seat counters match the rows.
func TestFaultProcessKilledMidStorm(t *testing.T) {
	ctx := context.Background()
	url := dbtest.PostgresURL(t)
	gdb := dbtest.Open(t, url)
	w := testworld.NewAt(t, gdb, time.Now())
	dir := t.TempDir()
	bin, err := loadgen.Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	procs, err := loadgen.Start(ctx, loadgen.Options{Binary: bin, DatabaseURL: url}, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = procs[1].Stop(); _ = procs[0].Kill() })
	host, guest := w.Agency("KHS", "IR"), w.Agency("KGS", "TJ")
	coord := w.Person(host, "Host Coordinator", access.Coordinator)
	day := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
	c := w.Cohort(coord, testworld.Plan{Course: w.Course(coord, testworld.Standard{}), StartsOn: day, EndsOn: day, Capacity: 40})
	if _, err := w.App.Cohorts.SetQuotas(ctx, coord, c.ID, cohort.QuotasInput{Quotas: []cohort.QuotaInput{{AgencyID: host, Seats: 20}, {AgencyID: guest, Seats: 20}}}); err != nil {
		t.Fatal(err)
	}
	trainees, err := loadgen.NewTrainees(ctx, w.App.Identity, []string{host, guest}, 250, "kill")
	if err != nil {
		t.Fatal(err)
	}
	const inFlight = 32
	done := make(chan loadgen.StormReport, 1)
	go func() {
		done <- loadgen.Storm(ctx, loadgen.StormPlan{URLs: loadgen.URLs(procs), CohortID: c.ID, Trainees: loadgen.Interleave(trainees), InFlight: inFlight})
	}()
	stored := func() (n int64) {
		gdb.Raw("SELECT count(*) FROM enrollments WHERE cohort_id = ?", c.ID).Scan(&n)
		return n
	}
	deadline := time.Now().Add(2 * time.Minute)
	for stored() < 100 {
		if time.Now().After(deadline) {
			t.Fatal("the storm did not get going")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := procs[0].Kill(); err != nil {
		t.Fatal(err)
	}
	rep := <-done

	answered := map[string]bool{}
	lost := 0
	for i, a := range rep.Answers {
		switch {
		case a.Outcome == "enrolled" || a.Outcome == "waitlisted":
			answered[a.EnrollmentID] = true
		case i%2 == 1:
			t.Fatalf("trainee %d, sent to the surviving process, got %d %s (%v)", i, a.Status, a.Body, a.Err)
		default:
			lost++
		}
	}
	if lost == 0 {
		t.Fatal("the kill came after the storm: nothing was lost")
	}
	if err := loadgen.CheckSeats(ctx, gdb, c.ID, rep); err != nil {
		t.Fatal(err)
	}
	var ids []string
	gdb.Raw("SELECT id FROM enrollments WHERE cohort_id = ?", c.ID).Scan(&ids)
	untold := 0
	for _, id := range ids {
		if !answered[id] {
			untold++
		}
	}
	if untold > inFlight {
		t.Fatalf("%d stored requests nobody was answered for, more than the %d in flight", untold, inFlight)
	}
	var unaudited int64
	gdb.Raw(`SELECT count(*) FROM enrollments e WHERE e.cohort_id = ? AND NOT EXISTS
		(SELECT 1 FROM audit_events a WHERE a.subject_id = CAST(e.id AS TEXT) AND a.action = 'enrollment.request')`, c.ID).Scan(&unaudited)
	if unaudited != 0 {
		t.Fatalf("%d stored requests without their audit event", unaudited)
	}
	if chain, err := w.App.Audit.Verify(ctx); err != nil || chain.Break != nil {
		t.Fatalf("audit chain after the kill: %v %+v", err, chain.Break)
	}
	t.Logf("%d answered, %d lost with the killed process, %d stored without an answer", len(answered), lost, untold)
}
