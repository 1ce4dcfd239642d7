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
)

// world is a database with agencies, people and a movable clock, and the
// certify service over it. Rows of other capabilities are inserted directly.
type world struct {
	t     testing.TB
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
	w := &world{t: t, db: gdb, clock: clock.NewFixed(day("2026-03-10").Add(9 * time.Hour))}
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

func (w *world) agency(country string) string {
	n := seq.Add(1)
	a := identity.Agency{ID: newID(), Name: fmt.Sprintf("Agency %d of %s", n, country), ShortName: fmt.Sprintf("AG%d", n), Country: country, Kind: "police"}
	w.create(&a)
	return a.ID
}

func (w *world) user(agencyID, name string, roles ...string) *identity.User {
	n := seq.Add(1)
	email := fmt.Sprintf("u%d@example.org", n)
	u := identity.User{ID: newID(), AgencyID: agencyID, Email: email, EmailKey: email, FullName: name, Language: "en",
		ServiceNumber: fmt.Sprintf("SN-%d", n), CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
	w.create(&u)
	for _, r := range roles {
		w.create(&identity.UserRole{UserID: u.ID, Role: r})
		u.Roles = append(u.Roles, identity.UserRole{UserID: u.ID, Role: r})
	}
	return &u
}

func (w *world) actor(u *identity.User) access.Actor { return u.Actor("192.0.2.7") }

func (w *world) course(passMark, minAttendance, validityMonths int) *catalog.Course {
	n := seq.Add(1)
	c := catalog.Course{ID: newID(), Code: fmt.Sprintf("CN-%d", 100+n%9000), OwnerAgencyID: w.host, Title: fmt.Sprintf("Course %d", n),
		Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person", DurationHours: 40, PassMark: passMark,
		MinAttendancePercent: minAttendance, ValidityMonths: validityMonths, Status: catalog.StatusPublished,
		CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
	w.create(&c)
	return &c
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

func (w *world) score(e *enrollment.Enrollment, score int) {
	w.t.Helper()
	if err := w.db.Model(&enrollment.Enrollment{}).Where("id = ?", e.ID).Update("score", score).Error; err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) assign(s cohort.Session, u *identity.User) {
	w.db.Create(&roster.Profile{UserID: u.ID, UpdatedAt: w.clock.Now()}) // once per instructor; a repeat is ignored
	w.create(&roster.Assignment{SessionID: s.ID, InstructorID: u.ID, Role: roster.RoleLead, StartsAt: s.StartsAt, EndsAt: s.EndsAt, CreatedAt: w.clock.Now()})
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
