package enrollment_test

import (
	"sort"
	"sync"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
)

// together runs fn(i) for i in [0, n) at once and waits for them all.
func together(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

// checkFirstComeFirstServed fails unless, in each agency, the enrolled are
// exactly its earliest live requests in queue order, up to its quota.
func (f *fixture) checkFirstComeFirstServed(c *cohort.Cohort, quota map[string]int) {
	f.t.Helper()
	var live []Enrollment
	f.gdb.Where("cohort_id = ? AND status IN ?", c.ID, []string{StatusEnrolled, StatusWaitlisted}).Order("queue_no").Find(&live)
	seen := map[string]int{}
	for _, e := range live {
		want := StatusWaitlisted
		if seen[e.AgencyID] < quota[e.AgencyID] {
			want = StatusEnrolled
		}
		seen[e.AgencyID]++
		if e.Status != want {
			f.t.Fatalf("queue %d of agency %s is %s, want %s", e.QueueNo, e.AgencyID, e.Status, want)
		}
	}
}

// TestConcurrentRequests: many trainees of two agencies ask at once for a
// cohort of 10 seats with quotas of 5 and 5.
func TestConcurrentRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 10)
		quota := map[string]int{f.a: 5, f.b: 5}
		f.setQuotas(c, quota)
		const n = 120
		people := make([]access.Actor, n)
		for i := range people {
			people[i] = f.trainee([]string{f.a, f.b}[i%2])
		}
		rows := make([]*Row, n)
		errs := make([]error, n)
		together(n, func(i int) { rows[i], errs[i] = f.svc.Enroll(f.ctx, people[i], c.ID, Request{}) })
		enrolled := map[string]int{}
		var positions []int
		for i, err := range errs {
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			switch rows[i].Status {
			case StatusEnrolled:
				enrolled[rows[i].AgencyID]++
			case StatusWaitlisted:
				positions = append(positions, *rows[i].WaitlistPosition)
			}
		}
		if enrolled[f.a] != 5 || enrolled[f.b] != 5 {
			t.Fatalf("enrolled %v", enrolled)
		}
		// Each answered position is a distinct place: nobody left the waitlist.
		sort.Ints(positions)
		for i, p := range positions {
			if p != i+1 {
				t.Fatalf("waitlist positions answered: %v", positions)
			}
		}
		f.checkCounters(c)
		f.checkFirstComeFirstServed(c, quota)
	})
}

// TestConcurrentWithdrawalsAndRequests: while the enrolled withdraw, new
// trainees ask and one trainee asks ten times at once; seats still go first
// come, first served within each agency, and one person holds one request.
func TestConcurrentWithdrawalsAndRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 10)
		quota := map[string]int{f.a: 5, f.b: 5}
		f.setQuotas(c, quota)
		var first []*Row
		var firstBy []access.Actor
		for i := range 30 {
			p := f.trainee([]string{f.a, f.b}[i%2])
			first = append(first, f.enroll(p, c))
			firstBy = append(firstBy, p)
		}
		var newcomers []access.Actor
		for i := range 20 {
			newcomers = append(newcomers, f.trainee([]string{f.a, f.b}[i%2]))
		}
		eager := f.trainee(f.a)
		var mu sync.Mutex
		eagerOK, eagerDup := 0, 0
		together(40, func(i int) {
			var err error
			switch {
			case i < 10: // the enrolled withdraw
				_, err = f.svc.Withdraw(f.ctx, firstBy[i], first[i].ID, Decision{})
			case i < 30:
				_, err = f.svc.Enroll(f.ctx, newcomers[i-10], c.ID, Request{})
			default:
				_, err = f.svc.Enroll(f.ctx, eager, c.ID, Request{})
				mu.Lock()
				defer mu.Unlock()
				if apperr.CodeOf(err) == CodeAlreadyEnrolled {
					eagerDup++
					return
				}
				eagerOK++
			}
			if err != nil {
				t.Errorf("operation %d: %v", i, err)
			}
		})
		if eagerOK != 1 || eagerDup != 9 {
			t.Fatalf("ten requests by one trainee: %d accepted, %d refused", eagerOK, eagerDup)
		}
		f.checkCounters(c)
		f.checkFirstComeFirstServed(c, quota)
		var enrolled int64
		gdb.Model(&Enrollment{}).Where("cohort_id = ? AND status = ?", c.ID, StatusEnrolled).Count(&enrolled)
		if enrolled != 10 {
			t.Fatalf("enrolled %d", enrolled)
		}
	})
}
