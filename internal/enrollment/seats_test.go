package enrollment_test

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
)

// statuses enrolls each trainee in turn and returns the statuses they got.
func (f *fixture) statuses(c *cohort.Cohort, people ...access.Actor) []*Row {
	f.t.Helper()
	out := make([]*Row, len(people))
	for i, p := range people {
		out[i] = f.enroll(p, c)
	}
	return out
}

func wantStatuses(t *testing.T, what string, rows []*Row, want ...string) {
	t.Helper()
	for i, r := range rows {
		if r.Status != want[i] {
			t.Fatalf("%s: request %d is %s, want %s", what, i+1, r.Status, want[i])
		}
	}
}

// TestQuotaAndCapacityEdges: a seat needs room in both the cohort and the
// agency's quota.
func TestQuotaAndCapacityEdges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		const E, W = StatusEnrolled, StatusWaitlisted

		// The last seat goes to the first; the next waits.
		c := f.addCohort(f.course, 2)
		wantStatuses(t, "last seat", f.statuses(c, f.trainee(f.a), f.trainee(f.b), f.trainee(f.a)), E, E, W)
		f.checkCounters(c)

		// The agency's quota is full though the cohort has room.
		c = f.addCohort(f.course, 10)
		f.setQuotas(c, map[string]int{f.a: 1, f.b: 9})
		rows := f.statuses(c, f.trainee(f.a), f.trainee(f.a), f.trainee(f.b))
		wantStatuses(t, "quota full, capacity free", rows, E, W, E)
		if *rows[1].WaitlistPosition != 1 || *rows[1].AgencyWaitlistPosition != 1 {
			t.Fatalf("positions %v", rows[1].WaitlistPosition)
		}
		f.checkCounters(c)

		// The cohort is full though the agency's quota has room.
		c = f.addCohort(f.course, 4)
		f.overbookQuotas(c, map[string]int{f.a: 3, f.b: 3})
		wantStatuses(t, "capacity full, quota free",
			f.statuses(c, f.trainee(f.a), f.trainee(f.a), f.trainee(f.b), f.trainee(f.b), f.trainee(f.a)), E, E, E, E, W)
		f.checkCounters(c)
	})
}

// TestPromotion: freed seats go to the earliest waitlisted person whose
// agency has room, as many as fit, each audited.
func TestPromotion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		const E, W = StatusEnrolled, StatusWaitlisted

		// Raising a quota promotes that agency's earliest waitlisted.
		c := f.addCohort(f.course, 4)
		f.setQuotas(c, map[string]int{f.a: 1, f.b: 3})
		rows := f.statuses(c, f.trainee(f.a), f.trainee(f.a), f.trainee(f.a), f.trainee(f.b))
		wantStatuses(t, "before the raise", rows, E, W, W, E)
		f.setQuotas(c, map[string]int{f.a: 2, f.b: 2}) // b gives up a seat it does not use
		if f.status(rows[1].ID) != E || f.status(rows[2].ID) != W {
			t.Fatalf("raised quota: %s %s", f.status(rows[1].ID), f.status(rows[2].ID))
		}
		if f.actions(rows[1].ID) != "enrollment.request enrollment.promote" {
			t.Fatalf("audit %q", f.actions(rows[1].ID))
		}
		f.checkCounters(c)

		// Raising the capacity promotes as many as now fit, in queue order.
		c = f.addCohort(f.course, 1)
		rows = f.statuses(c, f.trainee(f.a), f.trainee(f.b), f.trainee(f.a), f.trainee(f.b))
		f.capacity(c, 3)
		for i, want := range []string{E, E, E, W} {
			if got := f.status(rows[i].ID); got != want {
				t.Fatalf("raised capacity: request %d is %s", i+1, got)
			}
		}
		f.checkCounters(c)

		// A freed seat skips the waitlisted whose agency is full.
		c = f.addCohort(f.course, 3)
		f.setQuotas(c, map[string]int{f.a: 1, f.b: 2})
		tb := f.trainee(f.b)
		rows = f.statuses(c, f.trainee(f.a), f.trainee(f.a), tb, f.trainee(f.b), f.trainee(f.b))
		wantStatuses(t, "full", rows, E, W, E, E, W)
		if _, err := f.svc.Withdraw(f.ctx, tb, rows[2].ID, Decision{}); err != nil {
			t.Fatal(err)
		}
		if f.status(rows[1].ID) != W || f.status(rows[4].ID) != E {
			t.Fatalf("skip: a's waitlisted %s, b's %s", f.status(rows[1].ID), f.status(rows[4].ID))
		}
		f.checkCounters(c)
	})
}

// capacity changes the cohort's capacity through the cohort service,
// which tells enrollment of the seats it frees.
func (f *fixture) capacity(c *cohort.Cohort, to int) {
	f.t.Helper()
	if _, err := f.w.App.Cohorts.Update(f.ctx, f.coordA, c.ID, cohort.CohortPatch{Capacity: &to}); err != nil {
		f.t.Fatalf("capacity %d: %v", to, err)
	}
}

// overbookQuotas gives the cohort quotas that add up to more than its
// capacity. The cohort service refuses them, so no service can store them;
// they are written straight into the cohort's table to test that a seat
// still needs room in the cohort as well as in the quota.
func (f *fixture) overbookQuotas(c *cohort.Cohort, seats map[string]int) {
	f.t.Helper()
	for ag, n := range seats {
		if err := f.gdb.Create(&cohort.Quota{CohortID: c.ID, AgencyID: ag, Seats: n}).Error; err != nil {
			f.t.Fatalf("quota: %v", err)
		}
	}
}

// TestCohortCancelled: cancelling ends every live request, zeroes the
// counters, and records why on each trainee's history.
func TestCohortCancelled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 2)
		f.setQuotas(c, map[string]int{f.a: 1, f.b: 1})
		ta := f.trainee(f.a)
		rows := f.statuses(c, ta, f.trainee(f.b), f.trainee(f.a))
		gone := f.enroll(f.trainee(f.b), c)
		if _, err := f.svc.Withdraw(f.ctx, f.coordB, gone.ID, Decision{}); err != nil {
			t.Fatal(err)
		}
		f.w.SetStatus(f.coordA, c, cohort.StatusCancelled)
		for _, r := range rows {
			if f.status(r.ID) != StatusCancelled || f.actions(r.ID) != "enrollment.request enrollment.cancel" {
				t.Fatalf("%s: %s %q", r.ID, f.status(r.ID), f.actions(r.ID))
			}
		}
		if f.status(gone.ID) != StatusWithdrawn {
			t.Fatal("an ended request changed")
		}
		f.checkCounters(c)
		d, err := f.svc.Get(f.ctx, ta, rows[0].ID)
		if err != nil || d.History[1].Action != ActionCancel || d.History[1].From != StatusEnrolled {
			t.Fatalf("history: %v %+v", err, d)
		}
	})
}
