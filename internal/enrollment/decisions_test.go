package enrollment_test

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
)

// TestBulkDecisions: one call approves and rejects a cohort's requests,
// each on its own with its rules and audit event; a refusal (another
// agency's trainee, one already decided, another cohort's request) does not
// stop the others.
func TestBulkDecisions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 2, func(c *cohort.Cohort) { c.RequiresApproval = true })
		other := f.addCohort(f.course, 5, func(c *cohort.Cohort) { c.RequiresApproval = true })
		r1, r2, r3, r4 := f.enroll(f.trainee(f.a), c), f.enroll(f.trainee(f.a), c), f.enroll(f.trainee(f.a), c), f.enroll(f.trainee(f.a), c)
		rb := f.enroll(f.trainee(f.b), c)
		elsewhere := f.enroll(f.trainee(f.a), other)
		if _, err := f.svc.Reject(f.ctx, f.coordA, r4.ID, enrollment.Decision{Reason: "Posted abroad"}); err != nil {
			t.Fatal(err)
		}

		res, err := f.svc.Decide(f.ctx, f.coordA, c.ID, enrollment.Decisions{
			Approve: []string{r1.ID, r2.ID, rb.ID, r3.ID, elsewhere.ID},
			Reject:  []enrollment.RejectionLine{{ID: r4.ID, Reason: "Again"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ id, status, code string }{
			{r1.ID, enrollment.StatusEnrolled, ""},
			{r2.ID, enrollment.StatusEnrolled, ""},
			{rb.ID, "", apperr.CodeForbidden},        // the host sees b's trainee but does not decide for b
			{r3.ID, enrollment.StatusWaitlisted, ""}, // two seats: the third approval waits
			{elsewhere.ID, "", apperr.CodeNotFound},
			{r4.ID, enrollment.StatusRejected, enrollment.CodeWrongStatus},
		}
		if len(res) != len(want) {
			t.Fatalf("results %+v", res)
		}
		for i, w := range want {
			if res[i].ID != w.id || res[i].Status != w.status || res[i].Code != w.code {
				t.Errorf("result %d = %+v, want %+v", i, res[i], w)
			}
		}
		if f.status(rb.ID) != enrollment.StatusPending || f.status(elsewhere.ID) != enrollment.StatusPending {
			t.Fatal("a refused decision changed its request")
		}
		// Each decision left the same trail as a single one.
		if got := f.actions(r1.ID); got != "enrollment.request enrollment.approve" {
			t.Fatalf("audit of r1: %s", got)
		}
		f.checkCounters(c)

		// b's coordinator decides b's trainee in the same cohort.
		res, err = f.svc.Decide(f.ctx, f.coordB, c.ID, enrollment.Decisions{Reject: []enrollment.RejectionLine{{ID: rb.ID, Reason: "Not this year"}}})
		if err != nil || len(res) != 1 || res[0].Status != enrollment.StatusRejected || res[0].Code != "" {
			t.Fatalf("b rejects: %v %+v", err, res)
		}
	})
}

// TestBulkDecisionsRefusedWhole: a malformed call decides nothing and names
// each bad field.
func TestBulkDecisionsRefusedWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 2, func(c *cohort.Cohort) { c.RequiresApproval = true })
		r1, r2 := f.enroll(f.trainee(f.a), c), f.enroll(f.trainee(f.a), c)

		_, err := f.svc.Decide(f.ctx, f.coordA, c.ID, enrollment.Decisions{})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)

		_, err = f.svc.Decide(f.ctx, f.coordA, c.ID, enrollment.Decisions{Approve: []string{r1.ID}, Reject: []enrollment.RejectionLine{{ID: r1.ID, Reason: "x"}, {ID: r2.ID, Reason: " "}}})
		e := apperrtest.WantCode(t, err, apperr.CodeInvalid)
		fields := map[string]bool{}
		for _, fe := range e.Fields {
			fields[fe.Field] = true
		}
		if !fields["reject[0].id"] || !fields["reject[1].reason"] || len(e.Fields) != 2 {
			t.Fatalf("fields %+v", e.Fields)
		}
		if f.status(r1.ID) != enrollment.StatusPending || f.status(r2.ID) != enrollment.StatusPending {
			t.Fatal("a refused call decided something")
		}
		// Another cohort id, or none the caller may see, answers 404; trainees may not.
		_, err = f.svc.Decide(f.ctx, f.coordA, "00000000-0000-0000-0000-000000000000", enrollment.Decisions{Approve: []string{r1.ID}})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Decide(f.ctx, f.trainee(f.a), c.ID, enrollment.Decisions{Approve: []string{r1.ID}})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
	})
}
