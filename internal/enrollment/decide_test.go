package enrollment_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
	"muster/internal/paging"
)

// TestApprovalPaths: a trainee's request in a cohort that needs approval
// waits; their agency's coordinator approves (a seat or the waitlist) or
// rejects with a reason; a nomination counts as approval.
func TestApprovalPaths(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 1, func(c *cohort.Cohort) { c.RequiresApproval = true })
		t1, t2, t3, tb := f.trainee(f.a), f.trainee(f.a), f.trainee(f.a), f.trainee(f.b)
		r1, r2, r3, rb := f.enroll(t1, c), f.enroll(t2, c), f.enroll(t3, c), f.enroll(tb, c)
		for _, r := range []*Row{r1, r2, r3, rb} {
			if r.Status != StatusPending || r.DecidedAt != nil {
				t.Fatalf("self request in an approval cohort: %s", r.Status)
			}
		}
		f.checkCounters(c)

		// The queue of each agency's coordinators holds their own people only.
		q, err := f.svc.Approvals(f.ctx, f.coordA, "", paging.Params{})
		if err != nil || q.Total != 3 || q.Items[0].ID != r1.ID {
			t.Fatalf("coordinator a's queue: %v %+v", err, q)
		}
		q, _ = f.svc.Approvals(f.ctx, f.admin, "", paging.Params{})
		if q.Total != 4 {
			t.Fatalf("admin's queue: %d", q.Total)
		}
		_, err = f.svc.Approvals(f.ctx, f.trainee(f.a), "", paging.Params{})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		// Who may decide: the trainee's agency's coordinators and admins.
		_, err = f.svc.Approve(f.ctx, f.coordB, r1.ID)
		apperrtest.WantCode(t, err, apperr.CodeNotFound) // b neither hosts nor employs t1
		_, err = f.svc.Approve(f.ctx, f.coordA, rb.ID)
		apperrtest.WantCode(t, err, apperr.CodeForbidden) // the host sees b's trainee, but does not decide for b
		_, err = f.svc.Approve(f.ctx, f.user(f.a, access.HR), r1.ID)
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		_, err = f.svc.Approve(f.ctx, t1, r1.ID)
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		got, err := f.svc.Approve(f.ctx, f.coordA, r1.ID)
		if err != nil || got.Status != StatusEnrolled || got.DecidedBy == nil || *got.DecidedBy != f.coordA.UserID {
			t.Fatalf("approve: %v %+v", err, got)
		}
		// The only seat is taken: approval puts the next on the waitlist.
		got, err = f.svc.Approve(f.ctx, f.coordA, r2.ID)
		if err != nil || got.Status != StatusWaitlisted || got.WaitlistPosition == nil || *got.WaitlistPosition != 1 {
			t.Fatalf("approve into a full cohort: %v %+v", err, got)
		}
		_, err = f.svc.Approve(f.ctx, f.coordA, r2.ID)
		apperrtest.WantCode(t, err, CodeWrongStatus)

		// Rejection needs a reason, which the trainee then reads.
		_, err = f.svc.Reject(f.ctx, f.coordA, r3.ID, Decision{Reason: "  "})
		if e := apperrtest.WantCode(t, err, apperr.CodeInvalid); e.Fields[0].Field != "reason" {
			t.Fatalf("fields %+v", e.Fields)
		}
		got, err = f.svc.Reject(f.ctx, f.coordA, r3.ID, Decision{Reason: "Needed at the border post that week"})
		if err != nil || got.Status != StatusRejected || got.Reason == "" {
			t.Fatalf("reject: %v %+v", err, got)
		}
		d, err := f.svc.Get(f.ctx, t3, r3.ID)
		if err != nil || len(d.History) != 2 || d.History[1].Action != ActionReject || d.History[1].Reason != "Needed at the border post that week" {
			t.Fatalf("history: %v %+v", err, d)
		}
		if f.actions(r1.ID) != "enrollment.request enrollment.approve" || f.actions(r2.ID) != "enrollment.request enrollment.approve" {
			t.Fatalf("audit: %q %q", f.actions(r1.ID), f.actions(r2.ID))
		}

		// A nomination in the same cohort needs no approval: it joins the waitlist.
		n := f.nominate(f.coordA, f.trainee(f.a), c)
		if n.Status != StatusWaitlisted || n.NominatedBy == nil || *n.NominatedBy != f.coordA.UserID || f.actions(n.ID) != "enrollment.nominate" {
			t.Fatalf("nomination: %+v %q", n, f.actions(n.ID))
		}
		// Rejecting the enrolled trainee frees the seat for the earliest waitlisted.
		if _, err := f.svc.Reject(f.ctx, f.coordA, r1.ID, Decision{Reason: "Transferred"}); err != nil {
			t.Fatal(err)
		}
		if f.status(r2.ID) != StatusEnrolled || f.status(n.ID) != StatusWaitlisted {
			t.Fatalf("after rejection: %s %s", f.status(r2.ID), f.status(n.ID))
		}
		if f.actions(r2.ID) != "enrollment.request enrollment.approve enrollment.promote" {
			t.Fatalf("promotion audit: %q", f.actions(r2.ID))
		}
		f.checkCounters(c)
	})
}

// TestNominationRules: coordinators nominate active trainees of their own
// agency; admins anyone's; nobody else nominates.
func TestNominationRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 10)
		_, err := f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: f.trainee(f.b).UserID})
		if e := apperrtest.WantCode(t, err, apperr.CodeInvalid); e.Fields[0].Key != KeyUnknownPerson {
			t.Fatalf("another agency's trainee: %+v", e.Fields)
		}
		_, err = f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: f.user(f.a, access.Instructor).UserID})
		if e := apperrtest.WantCode(t, err, apperr.CodeInvalid); e.Fields[0].Key != KeyNotTrainee {
			t.Fatalf("an instructor: %+v", e.Fields)
		}
		off := f.trainee(f.a)
		f.disable(off)
		_, err = f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: off.UserID})
		if e := apperrtest.WantCode(t, err, apperr.CodeInvalid); e.Fields[0].Key != KeyPersonDisabled {
			t.Fatalf("a disabled trainee: %+v", e.Fields)
		}
		_, err = f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: "nobody"})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		_, err = f.svc.Enroll(f.ctx, f.trainee(f.a), c.ID, Request{UserID: f.trainee(f.a).UserID})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		_, err = f.svc.Enroll(f.ctx, f.user(f.a, access.HR), c.ID, Request{UserID: f.trainee(f.a).UserID})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		// Only trainees ask for themselves.
		_, err = f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		if r := f.nominate(f.admin, f.trainee(f.b), c); r.Status != StatusEnrolled {
			t.Fatalf("admin's nomination: %s", r.Status)
		}
		if r := f.nominate(f.coordB, f.trainee(f.b), c); r.Status != StatusEnrolled || r.DecidedAt == nil {
			t.Fatalf("coordinator's nomination: %+v", r)
		}
		f.checkCounters(c)
	})
}

// TestWithdrawal: trainees withdraw before the start, their coordinators
// too; a freed seat goes to the earliest waitlisted; after the start only a
// no-show can be marked, and nobody is promoted.
func TestWithdrawal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 2)
		t1, t2, t3, t4 := f.trainee(f.a), f.trainee(f.b), f.trainee(f.a), f.trainee(f.b)
		r1, r2, r3, r4 := f.enroll(t1, c), f.enroll(t2, c), f.enroll(t3, c), f.enroll(t4, c)
		if r2.Status != StatusEnrolled || r3.Status != StatusWaitlisted || *r4.WaitlistPosition != 2 || *r4.AgencyWaitlistPosition != 1 {
			t.Fatalf("last seat and waitlist: %s %s %v", r2.Status, r3.Status, *r4.WaitlistPosition)
		}
		// Others' enrollments are not theirs to withdraw.
		_, err := f.svc.Withdraw(f.ctx, t2, r1.ID, Decision{})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Withdraw(f.ctx, f.coordB, r1.ID, Decision{})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Withdraw(f.ctx, f.coordA, r2.ID, Decision{}) // host: sees, may not decide
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		// Withdrawing a waitlisted request moves the queue up, promotes nobody.
		if _, err := f.svc.Withdraw(f.ctx, t3, r3.ID, Decision{}); err != nil {
			t.Fatal(err)
		}
		d, _ := f.svc.Get(f.ctx, t4, r4.ID)
		if d.Status != StatusWaitlisted || *d.WaitlistPosition != 1 {
			t.Fatalf("after a waitlisted withdrawal: %+v", d.Row)
		}
		// The trainee withdraws their seat: the earliest waitlisted takes it.
		got, err := f.svc.Withdraw(f.ctx, t1, r1.ID, Decision{Reason: "Family matters"})
		if err != nil || got.Status != StatusWithdrawn {
			t.Fatalf("withdraw: %v", err)
		}
		if f.status(r4.ID) != StatusEnrolled || f.actions(r4.ID) != "enrollment.request enrollment.promote" {
			t.Fatalf("promotion: %s %q", f.status(r4.ID), f.actions(r4.ID))
		}
		if f.actions(r1.ID) != "enrollment.request enrollment.withdraw" || f.actions(r3.ID) != "enrollment.request enrollment.withdraw" {
			t.Fatalf("withdrawal audit: %q %q", f.actions(r1.ID), f.actions(r3.ID))
		}
		_, err = f.svc.Withdraw(f.ctx, t1, r1.ID, Decision{})
		apperrtest.WantCode(t, err, CodeWrongStatus)
		// A coordinator withdraws their agency's trainee.
		if _, err := f.svc.Withdraw(f.ctx, f.coordB, r2.ID, Decision{Reason: "Reassigned"}); err != nil {
			t.Fatal(err)
		}
		f.checkCounters(c)
		t5, t6 := f.trainee(f.a), f.trainee(f.a)
		r5, r6 := f.enroll(t5, c), f.enroll(t6, c)
		r7 := f.enroll(f.trainee(f.a), c)
		if r5.Status != StatusEnrolled || r6.Status != StatusWaitlisted || r7.Status != StatusWaitlisted {
			t.Fatalf("refill: %s %s %s", r5.Status, r6.Status, r7.Status)
		}
		_, err = f.svc.NoShow(f.ctx, f.coordA, r5.ID)
		apperrtest.WantCode(t, err, CodeCohortNotStarted)

		// The cohort starts (Tehran's first day): withdrawals end, no-shows begin.
		f.clock.Set(c.StartsOn.Add(-2 * time.Hour)) // 22:00 UTC the day before: 01:30 in Tehran
		_, err = f.svc.Withdraw(f.ctx, t5, r5.ID, Decision{})
		apperrtest.WantCode(t, err, CodeCohortStarted)
		_, err = f.svc.NoShow(f.ctx, f.coordA, r6.ID)
		apperrtest.WantCode(t, err, CodeWrongStatus)
		got, err = f.svc.NoShow(f.ctx, f.coordA, r5.ID)
		if err != nil || got.Status != StatusNoShow {
			t.Fatalf("no-show: %v", err)
		}
		if f.status(r6.ID) != StatusWaitlisted {
			t.Fatal("promoted after the start")
		}
		// Nor does a late seat change promote anyone.
		if err := f.svc.SeatsFreed(f.ctx, nil, f.coordA, c.ID); err != nil || f.status(r6.ID) != StatusWaitlisted {
			t.Fatalf("SeatsFreed after the start: %v %s", err, f.status(r6.ID))
		}
		if f.actions(r5.ID) != "enrollment.request enrollment.no_show" {
			t.Fatalf("audit: %q", f.actions(r5.ID))
		}
		f.checkCounters(c)
	})
}
