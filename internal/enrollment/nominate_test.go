package enrollment_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
)

// TestNominationList: a coordinator's list of service numbers and emails is
// previewed row by row without a change; committing nominates the valid
// rows and reports the others.
func TestNominationList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 2)
		t1, t2, t3 := f.trainee(f.a), f.trainee(f.a), f.trainee(f.a)
		var u1, u2, u3 struct{ Email, ServiceNumber string }
		gdb.Table("users").Where("id = ?", t1.UserID).Scan(&u1)
		gdb.Table("users").Where("id = ?", t2.UserID).Scan(&u2)
		gdb.Table("users").Where("id = ?", t3.UserID).Scan(&u3)
		other := f.trainee(f.b)
		var ub struct{ Email string }
		gdb.Table("users").Where("id = ?", other.UserID).Scan(&ub)

		list := "email\n" + u1.ServiceNumber + "\n\n" + strings.ToUpper(u2.Email) + "\n" + u3.ServiceNumber + "\n"
		plan, err := f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader(list), false)
		if err != nil || plan.Committed || plan.Enrolled != 2 || plan.Waitlisted != 1 || plan.Failed != 0 {
			t.Fatalf("preview: %v %+v", err, plan)
		}
		if plan.Rows[0].Line != 2 || plan.Rows[1].Line != 4 || plan.Rows[2].WaitlistPosition != 1 || plan.Rows[0].UserID != t1.UserID {
			t.Fatalf("preview rows: %+v", plan.Rows)
		}
		var n int64
		gdb.Model(&Enrollment{}).Where("cohort_id = ?", c.ID).Count(&n)
		if n != 0 {
			t.Fatalf("the preview left %d enrollments", n)
		}
		f.checkCounters(c)

		// Only bad rows (another agency's person): nothing to commit, refused whole.
		plan, err = f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader(ub.Email+"\n"), true)
		e := apperrtest.WantCode(t, err, apperr.CodeInvalid)
		if plan.Committed || plan.Failed != 1 || len(e.Fields) != 1 || e.Fields[0].Field != "row 1" {
			t.Fatalf("bad list: %+v %+v", plan, e.Fields)
		}
		gdb.Model(&Enrollment{}).Where("cohort_id = ?", c.ID).Count(&n)
		if n != 0 {
			t.Fatalf("a failed list left %d enrollments", n)
		}
		plan, err = f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader(list), true)
		if err != nil || !plan.Committed || plan.Enrolled != 2 || plan.Waitlisted != 1 {
			t.Fatalf("commit: %v %+v", err, plan)
		}
		if f.actions(plan.Rows[2].EnrollmentID) != "enrollment.nominate" {
			t.Fatalf("audit %q", f.actions(plan.Rows[2].EnrollmentID))
		}
		f.checkCounters(c)
		// A list mixing good and bad rows commits the good ones and names the bad.
		t4 := f.trainee(f.a)
		var u4 struct{ ServiceNumber string }
		gdb.Table("users").Where("id = ?", t4.UserID).Scan(&u4)
		mixed := u1.ServiceNumber + "\n" + ub.Email + "\n" + u4.ServiceNumber + "\n" + u4.ServiceNumber + "\n"
		plan, err = f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader(mixed), true)
		if err != nil || !plan.Committed || plan.Waitlisted != 1 || plan.Failed != 3 {
			t.Fatalf("mixed list: %v %+v", err, plan)
		}
		if plan.Rows[0].Code != CodeAlreadyEnrolled || plan.Rows[1].Message == "" || plan.Rows[3].Message != KeyDuplicateRow || plan.Rows[2].EnrollmentID == "" {
			t.Fatalf("mixed rows: %+v", plan.Rows)
		}
		if f.status(plan.Rows[2].EnrollmentID) != StatusWaitlisted {
			t.Fatal("the valid row was not committed")
		}
		f.checkCounters(c)
		// The first list again: every row is now already enrolled.
		plan, err = f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader(list), true)
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		if plan.Rows[0].Code != CodeAlreadyEnrolled {
			t.Fatalf("again: %+v", plan.Rows[0])
		}

		_, err = f.svc.Nominate(f.ctx, f.coordA, c.ID, strings.NewReader("\n \n"), false)
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		_, err = f.svc.Nominate(f.ctx, f.user(f.a, access.HR), c.ID, strings.NewReader(list), false)
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
	})
}
