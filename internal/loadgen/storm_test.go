package loadgen_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/loadgen"
	"muster/internal/testworld"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
	buildDir  string
)

// muster builds the binary once for the package's tests.
func muster(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "loadgen")
		if buildErr == nil {
			binary, buildErr = loadgen.Build(context.Background(), buildDir)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// stormRuns is how many storms each database takes: MUSTER_STORM_RUNS, 1 by default.
func stormRuns(t *testing.T) int {
	n, err := strconv.Atoi(os.Getenv("MUSTER_STORM_RUNS"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// TestStormOverHTTP: 500 trainees of two agencies ask at once (64 in
// flight) through two real muster processes sharing one database for a
// cohort of 40 seats with quotas of 20 and 20. Exactly the quotas fill,
// seats go first come first served, every waitlisted trainee is told their
// place in the queue, and the audit chain stays valid.
func TestStormOverHTTP(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{{"postgres", dbtest.PostgresURL}, {"sqlite", dbtest.SQLiteURL}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			url := tc.url(t)
			gdb := dbtest.Open(t, url)
			w := testworld.NewAt(t, gdb, time.Now())
			procs, err := loadgen.Start(ctx, loadgen.Options{Binary: muster(t), DatabaseURL: url}, 2)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := loadgen.StopAll(procs); err != nil {
					t.Errorf("stop: %v", err)
				}
			})
			host, guest := w.Agency("HST", "IR"), w.Agency("GST", "TJ")
			coord := w.Person(host, "Host Coordinator", access.Coordinator)
			course := w.Course(coord, testworld.Standard{})
			runs := stormRuns(t)
			for run := range runs {
				trainees, err := loadgen.NewTrainees(ctx, w.App.Identity, []string{host, guest}, 250, fmt.Sprintf("r%d", run))
				if err != nil {
					t.Fatal(err)
				}
				day := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
				c := w.Cohort(coord, testworld.Plan{Course: course, StartsOn: day, EndsOn: day, Capacity: 40})
				if _, err := w.App.Cohorts.SetQuotas(ctx, coord, c.ID, cohort.QuotasInput{Quotas: []cohort.QuotaInput{{AgencyID: host, Seats: 20}, {AgencyID: guest, Seats: 20}}}); err != nil {
					t.Fatal(err)
				}
				rep := loadgen.Storm(ctx, loadgen.StormPlan{URLs: loadgen.URLs(procs), CohortID: c.ID, Trainees: loadgen.Interleave(trainees), InFlight: 64})
				out := rep.Outcomes()
				if out["enrolled"] != 40 || out["waitlisted"] != 460 {
					t.Fatalf("run %d: outcomes %v; first answer: %d %s", run, out, rep.Answers[0].Status, rep.Answers[0].Body)
				}
				if err := loadgen.CheckSeats(ctx, gdb, c.ID, rep); err != nil {
					t.Fatalf("run %d: %v", run, err)
				}
				t.Logf("run %d: %s", run, rep.Summary())
			}
			chain, err := w.App.Audit.Verify(ctx)
			if err != nil || chain.Break != nil {
				t.Fatalf("audit chain after %d storms: %v %+v", runs, err, chain.Break)
			}
		})
	}
}
