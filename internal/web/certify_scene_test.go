package web_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// certifyScene is a course of an agency with three cohorts: one in
// progress with a session and a seated trainee, a draft, and a completed one
// that issued a certificate. Rows are inserted directly.
type certifyScene struct {
	env         *webtest.Env
	course      *catalog.Course
	running     *cohort.Cohort
	session     cohort.Session
	enrollment  *enrollment.Enrollment
	draft       *cohort.Cohort
	certificate *certify.CertificateDetail
}

var certifySeq atomic.Int64

func certifyID() string { return uuid.Must(uuid.NewV7()).String() }

// newCertifyScene builds the scene in agency key ("a" or "b") for that agency's trainee.
func newCertifyScene(t *testing.T, env *webtest.Env, key string) *certifyScene {
	t.Helper()
	gdb, now := env.App.DB, env.Clock.Now()
	insert := func(v any) {
		t.Helper()
		if err := gdb.Create(v).Error; err != nil {
			t.Fatalf("insert %T: %v", v, err)
		}
	}
	n := certifySeq.Add(1)
	host := env.Agencies[key].ID
	sc := &certifyScene{env: env}
	sc.course = &catalog.Course{ID: certifyID(), Code: fmt.Sprintf("CX-%d", 700+n), OwnerAgencyID: host, Title: "Border intelligence",
		Discipline: "border_security", Level: "basic", Delivery: "in_person", DurationHours: 24, PassMark: 60, MinAttendancePercent: 50,
		ValidityMonths: 12, Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
	insert(sc.course)
	today := certify.Day(now)
	newCohort := func(code, status string) *cohort.Cohort {
		c := &cohort.Cohort{ID: certifyID(), Code: fmt.Sprintf("%s-%d", code, n), CourseID: sc.course.ID, HostAgencyID: host, Language: "tg",
			StartsOn: today.AddDate(0, 0, -7), EndsOn: today, TimeZone: "Asia/Dushanbe", Capacity: 30,
			EnrollmentOpensAt: now.AddDate(0, -2, 0), EnrollmentClosesAt: now.AddDate(0, 0, -8), Status: status, CreatedAt: now, UpdatedAt: now}
		insert(c)
		return c
	}
	trainee := env.Users[key+"/trainee"]
	seat := func(c *cohort.Cohort, u *identity.User) *enrollment.Enrollment {
		e := &enrollment.Enrollment{ID: certifyID(), CohortID: c.ID, UserID: u.ID, AgencyID: u.AgencyID, Status: enrollment.StatusEnrolled,
			QueueNo: int(certifySeq.Add(1)), RequestedAt: now, CreatedAt: now, UpdatedAt: now}
		insert(e)
		return e
	}
	sc.running = newCohort("RUN", cohort.StatusInProgress)
	at := now.Add(-48 * time.Hour)
	sc.session = cohort.Session{ID: certifyID(), CohortID: sc.running.ID, StartsAt: at, EndsAt: at.Add(3 * time.Hour), Topic: "Document fraud",
		CreatedAt: now, UpdatedAt: now}
	insert(&sc.session)
	sc.enrollment = seat(sc.running, trainee)
	sc.draft = newCohort("DRF", cohort.StatusDraft)

	done := newCohort("DONE", cohort.StatusInProgress)
	s := cohort.Session{ID: certifyID(), CohortID: done.ID, StartsAt: at, EndsAt: at.Add(3 * time.Hour), Topic: "Patrols", CreatedAt: now, UpdatedAt: now}
	insert(&s)
	e := seat(done, trainee)
	insert(&certify.Attendance{SessionID: s.ID, EnrollmentID: e.ID, Status: certify.AttendancePresent, RecordedBy: env.Users[key+"/coordinator"].ID, RecordedAt: now})
	if err := gdb.Model(e).Update("score", 88).Error; err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	plan, err := env.App.Certify.Complete(ctx, access.System(), done.ID)
	if err != nil || len(plan.Outcomes) != 1 || plan.Outcomes[0].Certificate == "" {
		t.Fatalf("complete the scene's cohort: %+v %v", plan, err)
	}
	if sc.certificate, err = env.App.Certify.Get(ctx, access.System(), plan.Outcomes[0].Certificate); err != nil {
		t.Fatal(err)
	}
	return sc
}
