package certify_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/roster"
	"muster/internal/testworld"
)

// world is a database with agencies, people and a movable clock, and the
// certify service over it. Agencies, people and courses come from testworld's
// services; cohorts, enrollments and certificates are arranged directly where
// a test needs a state in the past (a cohort already under way, a certificate
// issued years ago) that no service produces on the test's clock.
type world struct {
	t     testing.TB
	tw    *testworld.World
	db    *gorm.DB
	clock *clock.Fixed
	svc   *certify.Service
	host  string // agency "IR" hosting cohorts
	guest string // agency "TJ"
	coord access.Actor
	admin access.Actor
}

var seq atomic.Int64

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newWorld(t testing.TB, gdb *gorm.DB) *world {
	t.Helper()
	tw := testworld.NewAt(t, gdb, day("2026-03-10").Add(9*time.Hour))
	w := &world{t: t, tw: tw, db: gdb, clock: tw.Clock}
	w.svc = &certify.Service{DB: gdb, Clock: w.clock, BaseURL: "https://muster.example", Prefix: "MUS", RecertWindowDays: 90,
		Enrollments: &enrollment.Service{DB: gdb, Clock: w.clock}, Cohorts: &cohort.Service{DB: gdb, Clock: w.clock}}
	w.host, w.guest = w.agency("IR"), w.agency("TJ")
	w.coord = w.actor(w.user(w.host, "Host Coordinator", access.Coordinator))
	w.admin = w.actor(w.user(w.guest, "Admin", access.Admin))
	return w
}

func (w *world) create(v any) {
	w.t.Helper()
	if err := w.db.Create(v).Error; err != nil {
		w.t.Fatalf("insert %T: %v", v, err)
	}
}

func (w *world) agency(country string) string { return w.tw.Agency("AG", country) }

func (w *world) user(agencyID, name string, roles ...string) *identity.User {
	return w.tw.User(agencyID, name, roles...)
}

// patch changes a user's details through the identity service.
func (w *world) patch(u *identity.User, p identity.UserPatch) { w.tw.UpdateUser(u.ID, p) }

func (w *world) actor(u *identity.User) access.Actor { return u.Actor("192.0.2.7") }

// course publishes a course of the host agency through the catalog service.
func (w *world) course(passMark, minAttendance, validityMonths int) *catalog.Course {
	return w.tw.Course(w.coord, testworld.Standard{PassMark: passMark, MinAttendancePercent: minAttendance, ValidityMonths: validityMonths})
}

// cohort schedules a cohort of course hosted by the host agency, with n sessions.
func (w *world) cohort(course *catalog.Course, status string, sessions int) (*cohort.Cohort, []cohort.Session) {
	n := seq.Add(1)
	starts := day("2026-03-01")
	c := cohort.Cohort{ID: newID(), Code: fmt.Sprintf("C-%d", n), CourseID: course.ID, HostAgencyID: w.host, Language: "fa",
		StartsOn: starts, EndsOn: starts.AddDate(0, 0, 14), TimeZone: "Asia/Tehran", Capacity: 40,
		EnrollmentOpensAt: starts.AddDate(0, -1, 0), EnrollmentClosesAt: starts.AddDate(0, 0, -1), Status: status,
		CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
	w.create(&c)
	var out []cohort.Session
	for i := range sessions {
		at := starts.Add(time.Duration(i)*24*time.Hour + 5*time.Hour)
		s := cohort.Session{ID: newID(), CohortID: c.ID, StartsAt: at, EndsAt: at.Add(3 * time.Hour), Topic: fmt.Sprintf("Topic %d", i+1),
			CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
		w.create(&s)
		out = append(out, s)
	}
	return &c, out
}

var queue atomic.Int64

func (w *world) enroll(c *cohort.Cohort, u *identity.User, status string) *enrollment.Enrollment {
	e := enrollment.Enrollment{ID: newID(), CohortID: c.ID, UserID: u.ID, AgencyID: u.AgencyID, Status: status,
		QueueNo: int(queue.Add(1)), RequestedAt: w.clock.Now(), CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
	w.create(&e)
	return &e
}

// trainee makes a trainee of agency and seats them in c.
func (w *world) trainee(c *cohort.Cohort, agencyID, name string) (*identity.User, *enrollment.Enrollment) {
	u := w.user(agencyID, name, access.Trainee)
	return u, w.enroll(c, u, enrollment.StatusEnrolled)
}

func (w *world) mark(s cohort.Session, e *enrollment.Enrollment, status string) {
	w.create(&certify.Attendance{SessionID: s.ID, EnrollmentID: e.ID, Status: status, RecordedBy: w.coord.UserID, RecordedAt: w.clock.Now()})
}

// score records a seated trainee's result as the host's coordinator.
func (w *world) score(e *enrollment.Enrollment, score int) {
	w.t.Helper()
	if _, err := w.svc.RecordResult(ctx(), w.coord, e.ID, certify.ResultInput{Score: &score}); err != nil {
		w.t.Fatal(err)
	}
}

// assign qualifies an instructor for the session's course and puts them on
// the session as its lead, through the roster service.
func (w *world) assign(s cohort.Session, u *identity.User) {
	w.t.Helper()
	var code string
	if err := w.db.Table("courses").Select("courses.code").Joins("JOIN cohorts ON cohorts.course_id = courses.id").
		Where("cohorts.id = ?", s.CohortID).Scan(&code).Error; err != nil {
		w.t.Fatal(err)
	}
	in := roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: code}}}
	if _, err := w.tw.App.Roster.SetQualifications(ctx(), w.coord, u.ID, in); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.tw.App.Roster.Assign(ctx(), w.coord, s.ID, roster.AssignInput{InstructorID: u.ID, Role: roster.RoleLead}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) status(e *enrollment.Enrollment) string {
	w.t.Helper()
	var got enrollment.Enrollment
	if err := w.db.Where("id = ?", e.ID).Take(&got).Error; err != nil {
		w.t.Fatal(err)
	}
	return got.Status
}

// certificate issues a certificate directly, for tests of reading and expiry.
func (w *world) certificate(u *identity.User, course *catalog.Course, issued time.Time, expires *time.Time) *certify.Certificate {
	c, _ := w.cohort(course, cohort.StatusCompleted, 0)
	e := w.enroll(c, u, enrollment.StatusCompleted)
	n := int(seq.Add(1))
	cert := certify.Certificate{ID: newID(), Number: fmt.Sprintf("TST-%d-%06d", issued.Year(), n), Year: issued.Year(), Seq: n,
		VerificationCode: strings.ReplaceAll(newID(), "-", "")[:22], UserID: u.ID, CourseID: course.ID, CohortID: c.ID,
		EnrollmentID: e.ID, HostAgencyID: w.host, HolderName: u.FullName, Hours: 40, IssuedOn: issued, ExpiresOn: expires,
		CreatedAt: w.clock.Now()}
	w.create(&cert)
	return &cert
}

func ctx() context.Context { return context.Background() }

func ptr[T any](v T) *T { return &v }
