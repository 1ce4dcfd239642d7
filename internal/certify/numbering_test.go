package certify_test

import (
	"fmt"
	"sync"
	"testing"

	"gorm.io/gorm"

	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
)

// TestNumberingUnderConcurrency completes cohorts two at a time from two
// connection pools on one database, as two muster processes would, and
// checks the numbers run 1..N without gap or repeat.
func TestNumberingUnderConcurrency(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		url := dbtest.SQLiteURL(t)
		concurrentCompletions(t, dbtest.Open(t, url), dbtest.Open(t, url))
	})
	t.Run("postgres", func(t *testing.T) {
		url := dbtest.PostgresURL(t)
		concurrentCompletions(t, dbtest.Open(t, url), dbtest.Open(t, url))
	})
}

func concurrentCompletions(t *testing.T, one, two *gorm.DB) {
	const rounds, trainees = 4, 12
	w := newWorld(t, one)
	course := w.course(0, 0, 12)
	services := []*certify.Service{
		{DB: one, Clock: w.clock, Prefix: "MUS", RecertWindowDays: 90,
			Enrollments: &enrollment.Service{DB: one, Clock: w.clock}, Cohorts: &cohort.Service{DB: one, Clock: w.clock}},
		{DB: two, Clock: w.clock, Prefix: "MUS", RecertWindowDays: 90,
			Enrollments: &enrollment.Service{DB: two, Clock: w.clock}, Cohorts: &cohort.Service{DB: two, Clock: w.clock}},
	}
	for r := range rounds {
		var cohorts []string
		for range 2 {
			c, _ := w.cohort(course, cohort.StatusInProgress, 0)
			for i := range trainees {
				w.trainee(c, w.guest, fmt.Sprintf("Trainee %d-%d", r, i))
			}
			cohorts = append(cohorts, c.ID)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				<-start
				_, errs[i] = services[i].Complete(ctx(), w.coord, cohorts[i])
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", r, err)
			}
		}
	}
	var certs []certify.Certificate
	if err := one.Order("seq").Find(&certs).Error; err != nil {
		t.Fatal(err)
	}
	want := rounds * 2 * trainees
	if len(certs) != want {
		t.Fatalf("%d certificates, want %d", len(certs), want)
	}
	for i, c := range certs {
		if c.Seq != i+1 || c.Number != certify.FormatNumber("MUS", 2026, i+1) {
			t.Fatalf("certificate %d is %s (seq %d): a gap or a repeat", i+1, c.Number, c.Seq)
		}
	}
	var counter certify.Counter
	if err := one.Where("year = ?", 2026).Take(&counter).Error; err != nil || counter.Last != want {
		t.Fatalf("counter %d, want %d (%v)", counter.Last, want, err)
	}
}
