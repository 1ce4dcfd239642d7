// The tests of enrollment build their world through testworld, muster's
// services wired as in production, which imports this package; so they live
// outside it, and dot-import it to keep speaking its words unqualified.
package enrollment_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	. "muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/testworld"
)

// fixture is a database with two agencies, a coordinator of each, an
// admin, a course, and a clock stopped at the start of March 2026.
type fixture struct {
	t      testing.TB
	w      *testworld.World
	svc    *Service
	gdb    *gorm.DB
	clock  *clock.Fixed
	ctx    context.Context
	a, b   string // agency ids
	admin  access.Actor
	coordA access.Actor
	coordB access.Actor
	course *catalog.Course
}

var serial atomic.Int64

func setup(t testing.TB, gdb *gorm.DB) *fixture {
	t.Helper()
	w := testworld.NewAt(t, gdb, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	w.App.Enroll.RecertWindowDays = 90
	f := &fixture{t: t, w: w, svc: w.App.Enroll, gdb: gdb, clock: w.Clock, ctx: w.Ctx}
	f.a = f.agency("IR")
	f.b = f.agency("TJ")
	f.admin = f.user(f.a, access.Admin)
	f.coordA = f.user(f.a, access.Coordinator)
	f.coordB = f.user(f.b, access.Coordinator)
	f.course = f.addCourse("CT-301")
	return f
}

func (f *fixture) agency(country string) string {
	f.t.Helper()
	return f.w.Agency(country, country)
}

// user makes a user of agency with roles and returns them as an actor.
func (f *fixture) user(agency string, roles ...string) access.Actor {
	f.t.Helper()
	return f.w.Person(agency, fmt.Sprintf("Person %d", serial.Add(1)), roles...)
}

func (f *fixture) trainee(agency string) access.Actor { return f.user(agency, access.Trainee) }

// addCourse publishes a course of agency a, taught in Persian, whose
// certificates last 24 months, requiring the courses prereqs.
func (f *fixture) addCourse(code string, prereqs ...*catalog.Course) *catalog.Course {
	f.t.Helper()
	var codes []string
	for _, p := range prereqs {
		codes = append(codes, p.Code)
	}
	c, err := f.w.App.Courses.Create(f.ctx, f.coordA, catalog.CourseInput{Code: code, Title: "Course " + code, Discipline: "counter_terrorism",
		Level: "basic", Delivery: "in_person", DurationHours: 40, Languages: []string{"fa", "en"}, Prerequisites: codes,
		ValidityMonths: 24, Status: catalog.StatusPublished})
	if err != nil {
		f.t.Fatalf("course %s: %v", code, err)
	}
	return c
}

// addCohort schedules an open cohort of course with capacity seats, hosted
// by agency a, enrolling now and starting in three weeks; edit changes the
// plan first (dates, window, approval, or the status to move it to).
func (f *fixture) addCohort(course *catalog.Course, capacity int, edit ...func(*cohort.Cohort)) *cohort.Cohort {
	f.t.Helper()
	now := f.clock.Now()
	start := time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC)
	p := &cohort.Cohort{Code: fmt.Sprintf("%s-%d", course.Code, serial.Add(1)), StartsOn: start, EndsOn: start.AddDate(0, 0, 5),
		Capacity: capacity, EnrollmentOpensAt: now.Add(-24 * time.Hour), EnrollmentClosesAt: now.Add(10 * 24 * time.Hour), Status: cohort.StatusOpen}
	for _, e := range edit {
		e(p)
	}
	first := cohort.StatusOpen
	if p.Status == cohort.StatusDraft {
		first = cohort.StatusDraft
	}
	c, err := f.w.App.Cohorts.Create(f.ctx, f.coordA, cohort.CohortInput{Code: p.Code, Course: course.Code, Language: "fa",
		StartsOn: p.StartsOn.Format(time.DateOnly), EndsOn: p.EndsOn.Format(time.DateOnly), TimeZone: "Asia/Tehran", Capacity: p.Capacity,
		EnrollmentOpensAt: p.EnrollmentOpensAt.Format(time.RFC3339), EnrollmentClosesAt: p.EnrollmentClosesAt.Format(time.RFC3339),
		RequiresApproval: p.RequiresApproval, Status: first})
	if err != nil {
		f.t.Fatalf("cohort %s: %v", p.Code, err)
	}
	switch p.Status {
	case cohort.StatusDraft, cohort.StatusOpen:
	case cohort.StatusInProgress, cohort.StatusCancelled:
		f.w.SetStatus(f.coordA, c, p.Status)
		c.Status = p.Status
	default:
		f.t.Fatalf("addCohort: no path to status %s", p.Status)
	}
	return c
}

// setQuotas gives the cohort quotas, agency id → seats, through the cohort service.
func (f *fixture) setQuotas(c *cohort.Cohort, seats map[string]int) {
	f.t.Helper()
	in := cohort.QuotasInput{Quotas: []cohort.QuotaInput{}}
	for ag, n := range seats {
		in.Quotas = append(in.Quotas, cohort.QuotaInput{AgencyID: ag, Seats: n})
	}
	if _, err := f.w.App.Cohorts.SetQuotas(f.ctx, f.coordA, c.ID, in); err != nil {
		f.t.Fatalf("quotas: %v", err)
	}
}

// certificate gives user a certificate for course, expiring on expires
// (nil: never), revoked when asked: certify issues it by completing a
// cohort on the day from which the course's validity reaches expires, and
// revokes it now. A certificate that never expires is issued while the
// course has no validity period, which is then restored.
func (f *fixture) certificate(user access.Actor, course *catalog.Course, expires *time.Time, revoked bool) {
	f.t.Helper()
	issued := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	if expires != nil {
		issued = issuedFor(f.t, *expires, course.ValidityMonths)
	} else if course.ValidityMonths > 0 {
		f.validity(course, 0)
		defer f.validity(course, course.ValidityMonths)
	}
	number := f.w.Certificates(f.coordA, course, issued, user)[0]
	if revoked {
		f.w.Revoke(f.coordA, number, "Issued in error")
	}
}

// issuedFor is the day a certificate valid for months must be issued to
// expire on expires.
func issuedFor(t testing.TB, expires time.Time, months int) time.Time {
	t.Helper()
	if months <= 0 {
		t.Fatalf("a course without validity issues no certificate expiring on %s", expires.Format(time.DateOnly))
	}
	issued := expires.AddDate(0, -months, 0)
	if got := certify.ExpiresOn(issued, months); got == nil || !got.Equal(expires) {
		t.Fatalf("no issue day gives an expiry on %s", expires.Format(time.DateOnly))
	}
	return issued
}

// validity changes how many months the course's certificates last, as its owner.
func (f *fixture) validity(course *catalog.Course, months int) {
	f.t.Helper()
	if _, err := f.w.App.Courses.Update(f.ctx, f.coordA, course.Code, catalog.CoursePatch{ValidityMonths: &months}); err != nil {
		f.t.Fatalf("validity of %s: %v", course.Code, err)
	}
}

// completed gives user a completed enrollment in course without a
// certificate, as records from before certificates were issued are: no
// service completes a trainee without issuing one, so the enrollment, this
// package's own row, is marked completed directly.
func (f *fixture) completed(user access.Actor, course *catalog.Course) {
	f.t.Helper()
	r := f.enroll(user, f.addCohort(course, 10))
	if err := f.gdb.Model(&Enrollment{}).Where("id = ?", r.ID).Update("status", StatusCompleted).Error; err != nil {
		f.t.Fatalf("completed enrollment: %v", err)
	}
}

func (f *fixture) enroll(who access.Actor, c *cohort.Cohort) *Row {
	f.t.Helper()
	r, err := f.svc.Enroll(f.ctx, who, c.ID, Request{})
	if err != nil {
		f.t.Fatalf("enroll %s: %v", who.Name, err)
	}
	return r
}

func (f *fixture) nominate(coord, who access.Actor, c *cohort.Cohort) *Row {
	f.t.Helper()
	r, err := f.svc.Enroll(f.ctx, coord, c.ID, Request{UserID: who.UserID})
	if err != nil {
		f.t.Fatalf("nominate %s: %v", who.Name, err)
	}
	return r
}

// disable disables a user's account as the platform admin.
func (f *fixture) disable(who access.Actor) {
	f.t.Helper()
	off := true
	if _, err := f.w.App.Identity.UpdateUser(f.ctx, f.w.Admin, who.UserID, identity.UserPatch{Disabled: &off}); err != nil {
		f.t.Fatalf("disable %s: %v", who.Name, err)
	}
}

// status reads an enrollment's stored status.
func (f *fixture) status(id string) string {
	f.t.Helper()
	var e Enrollment
	if err := f.gdb.Where("id = ?", id).Take(&e).Error; err != nil {
		f.t.Fatal(err)
	}
	return e.Status
}

// actions lists the audit actions recorded about enrollment id, in order.
func (f *fixture) actions(id string) string {
	f.t.Helper()
	var evs []audit.Event
	if err := f.gdb.Where("subject_type = 'enrollment' AND subject_id = ?", id).Order("at, id").Find(&evs).Error; err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Action)
	}
	return strings.Join(out, " ")
}

// checkCounters fails unless the cohort's stored counters agree with its
// rows: seats taken with enrolled people, per agency and in all, and the
// queue sequence with the highest queue number.
func (f *fixture) checkCounters(c *cohort.Cohort) {
	f.t.Helper()
	var got cohort.Cohort
	if err := f.gdb.Where("id = ?", c.ID).Take(&got).Error; err != nil {
		f.t.Fatal(err)
	}
	var enrolled, maxQueue int64
	f.gdb.Model(&Enrollment{}).Where("cohort_id = ? AND status = ?", c.ID, StatusEnrolled).Count(&enrolled)
	f.gdb.Model(&Enrollment{}).Where("cohort_id = ?", c.ID).Select("COALESCE(MAX(queue_no), 0)").Scan(&maxQueue)
	if int64(got.SeatsTaken) != enrolled || int64(got.QueueSeq) != maxQueue {
		f.t.Fatalf("cohort counters: seats_taken %d, enrolled rows %d; queue_seq %d, max queue_no %d", got.SeatsTaken, enrolled, got.QueueSeq, maxQueue)
	}
	if got.SeatsTaken > got.Capacity {
		f.t.Fatalf("overbooked: %d of %d", got.SeatsTaken, got.Capacity)
	}
	var quotas []cohort.Quota
	f.gdb.Where("cohort_id = ?", c.ID).Find(&quotas)
	for _, q := range quotas {
		var n int64
		f.gdb.Model(&Enrollment{}).Where("cohort_id = ? AND agency_id = ? AND status = ?", c.ID, q.AgencyID, StatusEnrolled).Count(&n)
		if int64(q.SeatsTaken) != n || q.SeatsTaken > q.Seats {
			f.t.Fatalf("quota of %s: seats_taken %d of %d, enrolled rows %d", q.AgencyID, q.SeatsTaken, q.Seats, n)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// closeAfterStart holds the cohort's enrollment window open a day past its
// first day. The cohort service refuses such a window, so no service can
// store one; it is written straight into the cohort's row to test that
// enrollment still refuses a cohort that has started.
func (f *fixture) closeAfterStart(c *cohort.Cohort) {
	f.t.Helper()
	c.EnrollmentClosesAt = c.StartsOn.AddDate(0, 0, 1)
	if err := f.gdb.Model(&cohort.Cohort{}).Where("id = ?", c.ID).Update("enrollment_closes_at", c.EnrollmentClosesAt).Error; err != nil {
		f.t.Fatalf("window past the start: %v", err)
	}
}
