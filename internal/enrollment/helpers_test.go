package enrollment

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
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/identity"
)

// fixture is a database with two agencies, a coordinator of each, an
// admin, a course, and a clock stopped at the start of March 2026.
type fixture struct {
	t      testing.TB
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
	clk := clock.NewFixed(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	f := &fixture{t: t, svc: &Service{DB: gdb, Clock: clk, RecertWindowDays: 90}, gdb: gdb, clock: clk, ctx: context.Background()}
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
	now := f.clock.Now()
	ag := identity.Agency{ID: uuid.NewString(), Name: "Agency " + country, ShortName: country + "-" + fmt.Sprint(serial.Add(1)),
		Country: country, Kind: "police", CreatedAt: now, UpdatedAt: now}
	if err := f.gdb.Create(&ag).Error; err != nil {
		f.t.Fatalf("agency: %v", err)
	}
	return ag.ID
}

// user inserts a user of agency with roles and returns them as an actor.
func (f *fixture) user(agency string, roles ...string) access.Actor {
	f.t.Helper()
	n := serial.Add(1)
	now := f.clock.Now()
	u := identity.User{ID: uuid.NewString(), AgencyID: agency, Email: fmt.Sprintf("u%d@example.org", n), FullName: fmt.Sprintf("Person %d", n),
		ServiceNumber: fmt.Sprintf("SN-%d", n), Language: "en", CreatedAt: now, UpdatedAt: now}
	u.EmailKey = u.Email
	for _, r := range roles {
		u.Roles = append(u.Roles, identity.UserRole{UserID: u.ID, Role: r})
	}
	if err := f.gdb.Omit("Agency").Create(&u).Error; err != nil {
		f.t.Fatalf("user: %v", err)
	}
	return u.Actor("192.0.2.7")
}

func (f *fixture) trainee(agency string) access.Actor { return f.user(agency, access.Trainee) }

// addCourse inserts a published course requiring the courses prereqs.
func (f *fixture) addCourse(code string, prereqs ...*catalog.Course) *catalog.Course {
	f.t.Helper()
	now := f.clock.Now()
	c := &catalog.Course{ID: uuid.NewString(), Code: code, OwnerAgencyID: f.a, Title: "Course " + code, Discipline: "counter_terrorism",
		Level: "basic", Delivery: "in_person", DurationHours: 40, ValidityMonths: 24, Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
	if err := f.gdb.Create(c).Error; err != nil {
		f.t.Fatalf("course: %v", err)
	}
	for _, p := range prereqs {
		if err := f.gdb.Create(&catalog.CoursePrerequisite{CourseID: c.ID, PrerequisiteID: p.ID}).Error; err != nil {
			f.t.Fatalf("prerequisite: %v", err)
		}
	}
	return c
}

// addCohort inserts an open cohort of course with capacity seats, hosted by
// agency a, enrolling now and starting in three weeks; edit changes it first.
func (f *fixture) addCohort(course *catalog.Course, capacity int, edit ...func(*cohort.Cohort)) *cohort.Cohort {
	f.t.Helper()
	now := f.clock.Now()
	start := time.Date(2026, 3, 22, 0, 0, 0, 0, time.UTC)
	c := &cohort.Cohort{ID: uuid.NewString(), Code: fmt.Sprintf("%s-%d", course.Code, serial.Add(1)), CourseID: course.ID, HostAgencyID: f.a,
		Language: "fa", StartsOn: start, EndsOn: start.AddDate(0, 0, 5), TimeZone: "Asia/Tehran", Capacity: capacity,
		EnrollmentOpensAt: now.Add(-24 * time.Hour), EnrollmentClosesAt: now.Add(10 * 24 * time.Hour), Status: cohort.StatusOpen,
		CreatedAt: now, UpdatedAt: now}
	for _, e := range edit {
		e(c)
	}
	if err := f.gdb.Create(c).Error; err != nil {
		f.t.Fatalf("cohort: %v", err)
	}
	return c
}

// setQuotas gives the cohort quotas, agency id → seats.
func (f *fixture) setQuotas(c *cohort.Cohort, seats map[string]int) {
	f.t.Helper()
	for ag, n := range seats {
		if err := f.gdb.Create(&cohort.Quota{CohortID: c.ID, AgencyID: ag, Seats: n}).Error; err != nil {
			f.t.Fatalf("quota: %v", err)
		}
	}
}

// certificate gives user a certificate for course, expiring on expires (nil: never).
func (f *fixture) certificate(user access.Actor, course *catalog.Course, expires *time.Time, revoked bool) {
	f.t.Helper()
	c := f.addCohort(course, 10, func(c *cohort.Cohort) { c.Status = cohort.StatusCompleted })
	e := Enrollment{ID: uuid.NewString(), CohortID: c.ID, UserID: user.UserID, AgencyID: user.AgencyID, Status: StatusCompleted, QueueNo: 1,
		RequestedAt: f.clock.Now(), CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()}
	if err := f.gdb.Create(&e).Error; err != nil {
		f.t.Fatalf("completed enrollment: %v", err)
	}
	n := serial.Add(1)
	// A row, not certify's model: certify may come to import this package.
	cert := map[string]any{"id": uuid.NewString(), "number": fmt.Sprintf("JT-2025-%06d", n), "year": 2025, "seq": n,
		"verification_code": uuid.NewString(), "user_id": user.UserID, "course_id": course.ID, "cohort_id": c.ID, "enrollment_id": e.ID,
		"host_agency_id": f.a, "holder_name": user.Name, "hours": 40, "issued_on": time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC),
		"expires_on": expires, "revoked_at": nil, "created_at": f.clock.Now()}
	if revoked {
		cert["revoked_at"] = f.clock.Now()
	}
	if err := f.gdb.Table("certificates").Create(cert).Error; err != nil {
		f.t.Fatalf("certificate: %v", err)
	}
}

// completed gives user a completed enrollment in course without a certificate.
func (f *fixture) completed(user access.Actor, course *catalog.Course) {
	f.t.Helper()
	c := f.addCohort(course, 10, func(c *cohort.Cohort) { c.Status = cohort.StatusCompleted })
	e := Enrollment{ID: uuid.NewString(), CohortID: c.ID, UserID: user.UserID, AgencyID: user.AgencyID, Status: StatusCompleted, QueueNo: 1,
		RequestedAt: f.clock.Now(), CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()}
	if err := f.gdb.Create(&e).Error; err != nil {
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
