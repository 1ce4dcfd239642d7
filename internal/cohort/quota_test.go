package cohort_test

import (
	"muster/internal/apperr/apperrtest"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

func quotas(kv ...any) cohort.QuotasInput {
	var in cohort.QuotasInput
	for i := 0; i+1 < len(kv); i += 2 {
		in.Quotas = append(in.Quotas, cohort.QuotaInput{AgencyID: kv[i].(string), Seats: kv[i+1].(int)})
	}
	return in
}

func TestQuotaArithmetic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		seats := &cohorttest.SeatLog{}
		w.Cohorts.Seats = seats
		in := w.Input("Q-1")
		in.Status = "open"
		c := w.Cohort(w.CoordIR, in) // capacity 20
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 12, w.TJ, 9)); err == nil {
			t.Fatal("21 seats in quotas of a 20-seat cohort")
		} else if e := apperrtest.WantCode(t, err, cohort.CodeQuotasOverCapacity); e.Args["Sum"] != 21 || e.Args["Capacity"] != 20 {
			t.Fatalf("args %v", e.Args)
		}
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 10, w.TJ, 10)); err != nil {
			t.Fatal(err)
		}
		if len(seats.Freed) != 1 {
			t.Fatalf("new quotas should tell the seat watcher: %v", seats.Freed)
		}
		for i := range 3 {
			w.Enroll(c.ID, w.Person("tj-"+string(rune('a'+i)), w.TJ, access.Trainee), "enrolled")
		}
		// TJ's fourth trainee waits: TJ's quota is held at its three seats
		// while they ask, then put back (the seat log stands in for
		// enrollment, so nobody is promoted).
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 10, w.TJ, 3)); err != nil {
			t.Fatal(err)
		}
		w.Enroll(c.ID, w.Person("tj-w", w.TJ, access.Trainee), "waitlisted")
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 10, w.TJ, 10)); err != nil {
			t.Fatal(err)
		}
		w.Enroll(c.ID, w.Person("ir-a", w.IR, access.Trainee), "enrolled")
		// Lowering TJ below its three enrolled trainees is refused, naming them.
		_, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 10, w.TJ, 2))
		if e := apperrtest.WantCode(t, err, cohort.CodeQuotaBelowTaken); e.Args["Taken"] != 3 || e.Args["Agency"] != "TJ-DCA" {
			t.Fatalf("args %v", e.Args)
		}
		_, err = w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 10))
		if e := apperrtest.WantCode(t, err, cohort.CodeQuotaHoldsSeats); e.Args["Taken"] != 3 {
			t.Fatalf("args %v", e.Args)
		}
		// Down to exactly the seats taken is fine and frees nothing.
		freed := len(seats.Freed)
		qs, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 5, w.TJ, 3))
		if err != nil || len(qs) != 2 || len(seats.Freed) != freed {
			t.Fatalf("lowered: %+v %v, freed %v", qs, err, seats.Freed)
		}
		d, err := w.Cohorts.Get(w.Ctx, w.CoordTJ, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		taken := map[string]int{}
		for _, q := range d.Quotas {
			taken[q.Agency.ShortName] = q.SeatsTaken
		}
		if taken["TJ-DCA"] != 3 || taken["IR-ANP"] != 1 || d.SeatsTaken != 4 {
			t.Fatalf("seats taken: %v, cohort %d", taken, d.SeatsTaken)
		}
		// Raising one quota tells the watcher, inside the same transaction.
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, c.ID, quotas(w.IR, 5, w.TJ, 4)); err != nil || len(seats.Freed) != freed+1 {
			t.Fatalf("raised: %v, freed %v", err, seats.Freed)
		}
		// Capacity: not below the seats taken nor the quotas' sum; raising it frees seats.
		apperrtest.WantCode(t, update(w, c.ID, cohort.CohortPatch{Capacity: ptr(3)}), cohort.CodeCapacityBelowTaken)
		apperrtest.WantCode(t, update(w, c.ID, cohort.CohortPatch{Capacity: ptr(8)}), cohort.CodeQuotasOverCapacity)
		if err := update(w, c.ID, cohort.CohortPatch{Capacity: ptr(9)}); err != nil {
			t.Fatal(err)
		}
		freed = len(seats.Freed)
		if err := update(w, c.ID, cohort.CohortPatch{Capacity: ptr(30)}); err != nil || len(seats.Freed) != freed+1 {
			t.Fatalf("capacity raised: %v, freed %v", err, seats.Freed)
		}
		apperrtest.WantField(t, update(w, c.ID, cohort.CohortPatch{Capacity: ptr(41)}), "capacity", cohort.KeyCapacityAboveVenue)
	})
}

func update(w *cohorttest.World, id string, p cohort.CohortPatch) error {
	_, err := w.Cohorts.Update(w.Ctx, w.CoordIR, id, p)
	return err
}
