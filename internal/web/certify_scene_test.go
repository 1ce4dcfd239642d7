package web_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/webtest"
)

// certifyScene is a course of an agency with three cohorts: one in
// progress with a session and a seated trainee, a draft, and a completed one
// that issued a certificate. All are made through the services, as the
// platform, with the clock moved back into the enrollment window.
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

// newCertifyScene builds the scene in agency key ("a" or "b") for that agency's trainee.
func newCertifyScene(t *testing.T, env *webtest.Env, key string) *certifyScene {
	t.Helper()
	return newHostedCertifyScene(t, env, key, key)
}

// newHostedCertifyScene builds the scene in agency key ("a" or "b") for the
// trainee of agency holder, who may be another.
func newHostedCertifyScene(t *testing.T, env *webtest.Env, key, holder string) *certifyScene {
	t.Helper()
	ctx, system, now := context.Background(), access.System(), env.Clock.Now()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("certify scene: %s: %v", what, err)
		}
	}
	n := certifySeq.Add(1)
	host := env.Agencies[key].ID
	sc := &certifyScene{env: env}
	var err error
	sc.course, err = env.App.Courses.Create(ctx, system, catalog.CourseInput{Code: fmt.Sprintf("CX-%d", 700+n), OwnerAgencyID: host,
		Title: "Border intelligence", Discipline: "border_security", Level: "basic", Delivery: "in_person", DurationHours: 24,
		Languages: []string{"tg"}, PassMark: 60, MinAttendancePercent: 50, ValidityMonths: 12, Status: catalog.StatusPublished})
	must("course", err)
	// The cohorts run in Dushanbe, so their dates are Dushanbe's: late in the
	// UTC day, Dushanbe is already on the next date.
	dushanbe, zerr := time.LoadLocation("Asia/Dushanbe")
	must("zone", zerr)
	y, m, d := now.In(dushanbe).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	newCohort := func(code, status string) *cohort.Cohort {
		t.Helper()
		c, err := env.App.Cohorts.Create(ctx, system, cohort.CohortInput{Code: fmt.Sprintf("%s-%d", code, n), Course: sc.course.Code,
			HostAgencyID: host, Language: "tg", StartsOn: today.AddDate(0, 0, -7).Format(time.DateOnly), EndsOn: today.Format(time.DateOnly),
			TimeZone: "Asia/Dushanbe", Capacity: 30, EnrollmentOpensAt: now.AddDate(0, -2, 0).Format(time.RFC3339),
			EnrollmentClosesAt: now.AddDate(0, 0, -8).Format(time.RFC3339), Status: status})
		must("cohort "+code, err)
		return c
	}
	at := now.Add(-48 * time.Hour)
	addSession := func(c *cohort.Cohort, topic string) cohort.Session {
		t.Helper()
		s, err := env.App.Cohorts.AddSession(ctx, system, c.ID, cohort.SessionInput{StartsAt: at.Format(time.RFC3339),
			EndsAt: at.Add(3 * time.Hour).Format(time.RFC3339), Topic: topic})
		must("session "+topic, err)
		return *s
	}
	start := func(c *cohort.Cohort) {
		t.Helper()
		status := cohort.StatusInProgress
		_, err := env.App.Cohorts.Update(ctx, system, c.ID, cohort.CohortPatch{Status: &status})
		must("start "+c.Code, err)
		c.Status = status
	}
	// The trainee asks for a seat in both while the window is open.
	trainee := env.Users[holder+"/trainee"].Actor("192.0.2.1")
	seat := func(c *cohort.Cohort) *enrollment.Enrollment {
		t.Helper()
		env.Clock.Set(now.AddDate(0, 0, -9))
		defer env.Clock.Set(now)
		row, err := env.App.Enroll.Enroll(ctx, trainee, c.ID, enrollment.Request{})
		must("seat in "+c.Code, err)
		if row.Status != enrollment.StatusEnrolled {
			t.Fatalf("certify scene: %s in %s", row.Status, c.Code)
		}
		return &row.Enrollment
	}
	sc.running = newCohort("RUN", cohort.StatusOpen)
	sc.session = addSession(sc.running, "Document fraud")
	sc.enrollment = seat(sc.running)
	start(sc.running)
	sc.draft = newCohort("DRF", cohort.StatusDraft)

	done := newCohort("DONE", cohort.StatusOpen)
	s := addSession(done, "Patrols")
	e := seat(done)
	start(done)
	// The host's coordinator keeps the roll and the results: a mark names who recorded it.
	coord := env.Users[key+"/coordinator"].Actor("192.0.2.1")
	_, err = env.App.Certify.RecordAttendance(ctx, coord, s.ID, certify.AttendanceInput{Records: []certify.AttendanceRecord{
		{EnrollmentID: e.ID, Status: certify.AttendancePresent}}})
	must("attendance", err)
	score := 88
	_, err = env.App.Certify.RecordResult(ctx, coord, e.ID, certify.ResultInput{Score: &score})
	must("result", err)
	plan, err := env.App.Certify.Complete(ctx, system, done.ID)
	if err != nil || len(plan.Outcomes) != 1 || plan.Outcomes[0].Certificate == "" {
		t.Fatalf("complete the scene's cohort: %+v %v", plan, err)
	}
	if sc.certificate, err = env.App.Certify.Get(ctx, system, plan.Outcomes[0].Certificate); err != nil {
		t.Fatal(err)
	}
	return sc
}
