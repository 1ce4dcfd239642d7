// Package exporttest writes the records export tests read: people of two
// agencies with Persian, Cyrillic and formula-like names, courses, cohorts
// hosted by either agency, sessions, attendance, enrollments and
// certificates (with and without expiry, renewed, revoked), all inserted
// with GORM so the tests do not depend on the services that issue them.
package exporttest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// Today is the day the tests' clocks stand at; C5 expires on it, C6 the day after.
var Today = time.Date(2026, 3, 21, 10, 0, 0, 0, time.UTC)

// BaseURL is the verification URLs' start in the tests.
const BaseURL = "https://muster.example"

// Names as stored, kept exactly through every format.
const (
	PersianName   = "علی رضایی"
	PersianRank   = "سرگرد"
	CyrillicName  = "Рустам Назаров"
	CyrillicRank  = "капитан"
	CyrillicTitle = "Пограничная безопасность"
	FormulaName   = "=2+3"   // the holder's name as a spreadsheet formula
	FormulaLatin  = "+Ali"   // latin name starting with +
	FormulaRank   = "-Major" // rank starting with -
	FormulaNumber = "@A1"    // service number starting with @
)

// Fixture is what Seed wrote.
type Fixture struct {
	A, B string // agency ids: A (IR) and B (TJ)
	// People by name: "fa" (agency A), "ru" (agency B), "formula" (agency A).
	People map[string]*identity.User
	// Certificates by name C1..C6.
	Certificates map[string]*certify.Certificate
	// Enrollments by name E1..E8.
	Enrollments map[string]*enrollment.Enrollment
}

// Agency inserts an agency and returns its id.
func Agency(t testing.TB, gdb *gorm.DB, short, country string) string {
	t.Helper()
	a := identity.Agency{ID: uuid.NewString(), Name: "Agency " + short, ShortName: short, Country: country, Kind: "police",
		CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, &a)
	return a.ID
}

// Seed writes the records into agencies a (Iranian) and b (Tajik):
//
//	C1 fa, CN-101 hosted by A, 2025-01-10 to 2028-01-10, score 92: valid
//	C2 fa, BS-201 hosted by B, 2023-02-01 to 2026-02-01, score 75: expired
//	C3 fa, BS-201 hosted by B, 2026-03-01 to 2029-03-01, renews C2: valid
//	C4 ru, OC-301 hosted by A, 2025-06-01, no expiry, no score: revoked
//	C5 formula, CN-101 hosted by A, 2023-03-21 to 2026-03-21: expired (today)
//	C6 ru, BS-201 hosted by B, 2023-03-22 to 2026-03-22: valid (until tomorrow)
//
// earned by enrollments E1 to E5 and E8; E6 (ru, CN-101, failed, score 40)
// and E7 (fa, OC-301, withdrawn) earned none. CN-101's cohort has four
// sessions: fa attended three (75%), formula two (50%).
func Seed(t testing.TB, gdb *gorm.DB, a, b string) *Fixture {
	t.Helper()
	f := &Fixture{A: a, B: b, People: map[string]*identity.User{}, Certificates: map[string]*certify.Certificate{},
		Enrollments: map[string]*enrollment.Enrollment{}}
	f.People["fa"] = person(t, gdb, a, PersianName, "Ali Rezaei", PersianRank, "IR-1001")
	f.People["ru"] = person(t, gdb, b, CyrillicName, "", CyrillicRank, "TJ-2002")
	f.People["formula"] = person(t, gdb, a, FormulaName, FormulaLatin, FormulaRank, FormulaNumber)

	cn := course(t, gdb, a, "CN-101", "Counter-narcotics basics", "counter_narcotics", 40, 36)
	bs := course(t, gdb, a, "BS-201", CyrillicTitle, "border_security", 24, 36)
	oc := course(t, gdb, a, "OC-301", "Organised crime", "organised_crime", 16, 0)
	cnA := cohortOf(t, gdb, cn, a, "CN-101-2025-A", date(2025, 1, 1))
	bsB := cohortOf(t, gdb, bs, b, "BS-201-2023-B", date(2023, 1, 20))
	bsB2 := cohortOf(t, gdb, bs, b, "BS-201-2026-B", date(2026, 2, 20))
	ocA := cohortOf(t, gdb, oc, a, "OC-301-2025-A", date(2025, 5, 20))
	sessions := make([]string, 4)
	for i := range sessions {
		sessions[i] = session(t, gdb, cnA, date(2025, 1, 1+i))
	}

	score := func(n int) *int { return &n }
	e := func(name string, ch *cohort.Cohort, who, status string, sc *int) *enrollment.Enrollment {
		en := enroll(t, gdb, ch, f.People[who], len(f.Enrollments)+1, status, sc)
		f.Enrollments[name] = en
		return en
	}
	e("E1", cnA, "fa", enrollment.StatusCompleted, score(92))
	e("E2", bsB, "fa", enrollment.StatusCompleted, score(75))
	e("E3", bsB2, "fa", enrollment.StatusCompleted, score(88))
	e("E4", ocA, "ru", enrollment.StatusCompleted, nil)
	e("E5", cnA, "formula", enrollment.StatusCompleted, score(60))
	e("E6", cnA, "ru", enrollment.StatusFailed, score(40))
	e("E7", ocA, "fa", enrollment.StatusWithdrawn, nil)
	e("E8", bsB, "ru", enrollment.StatusCompleted, score(70))
	for i, st := range []string{"present", "late", "present", "absent"} {
		attend(t, gdb, sessions[i], f.Enrollments["E1"].ID, st)
	}
	for i, st := range []string{"present", "absent", "excused", "present"} {
		attend(t, gdb, sessions[i], f.Enrollments["E5"].ID, st)
	}

	c := func(name, number, enr string, ch *cohort.Cohort, co *catalog.Course, issued time.Time, expires *time.Time) *certify.Certificate {
		cert := certificate(t, gdb, number, f.Enrollments[enr], ch, co, issued, expires)
		f.Certificates[name] = cert
		return cert
	}
	exp := func(y, m, d int) *time.Time { t := date(y, m, d); return &t }
	c("C1", "MST-2025-000001", "E1", cnA, cn, date(2025, 1, 10), exp(2028, 1, 10))
	c2 := c("C2", "MST-2023-000001", "E2", bsB, bs, date(2023, 2, 1), exp(2026, 2, 1))
	c3 := c("C3", "MST-2026-000001", "E3", bsB2, bs, date(2026, 3, 1), exp(2029, 3, 1))
	c4 := c("C4", "MST-2025-000002", "E4", ocA, oc, date(2025, 6, 1), nil)
	c("C5", "MST-2023-000002", "E5", cnA, cn, date(2023, 3, 21), exp(2026, 3, 21))
	c("C6", "MST-2023-000003", "E8", bsB, bs, date(2023, 3, 22), exp(2026, 3, 22))
	update(t, gdb, c3, "renews_id", c2.ID)
	update(t, gdb, c4, "revoked_at", time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC))
	return f
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func create(t testing.TB, gdb *gorm.DB, v any) {
	t.Helper()
	if err := gdb.Create(v).Error; err != nil {
		t.Fatalf("insert %T: %v", v, err)
	}
}

func update(t testing.TB, gdb *gorm.DB, c *certify.Certificate, column string, value any) {
	t.Helper()
	if err := gdb.Model(c).Update(column, value).Error; err != nil {
		t.Fatalf("update certificate %s: %v", column, err)
	}
}

func person(t testing.TB, gdb *gorm.DB, agency, name, latin, rank, number string) *identity.User {
	t.Helper()
	id := uuid.NewString()
	email := fmt.Sprintf("%s@people.example", id[:8])
	u := &identity.User{ID: id, AgencyID: agency, Email: email, EmailKey: email, FullName: name, FullNameLatin: latin,
		Rank: rank, ServiceNumber: number, Language: "en", CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, u)
	create(t, gdb, &identity.UserRole{UserID: id, Role: "trainee"})
	return u
}

func course(t testing.TB, gdb *gorm.DB, owner, code, title, discipline string, hours, validity int) *catalog.Course {
	t.Helper()
	c := &catalog.Course{ID: uuid.NewString(), Code: code, OwnerAgencyID: owner, Title: title, Discipline: discipline,
		Level: "basic", Delivery: "in_person", DurationHours: hours, PassMark: 50, MinAttendancePercent: 70,
		ValidityMonths: validity, Status: catalog.StatusPublished, CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, c)
	return c
}

func cohortOf(t testing.TB, gdb *gorm.DB, co *catalog.Course, host, code string, starts time.Time) *cohort.Cohort {
	t.Helper()
	c := &cohort.Cohort{ID: uuid.NewString(), Code: code, CourseID: co.ID, HostAgencyID: host, Language: "fa",
		StartsOn: starts, EndsOn: starts.AddDate(0, 0, 10), TimeZone: "Asia/Tehran", Capacity: 20,
		EnrollmentOpensAt: starts.AddDate(0, -1, 0), EnrollmentClosesAt: starts.AddDate(0, 0, -1),
		Status: cohort.StatusCompleted, CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, c)
	return c
}

func session(t testing.TB, gdb *gorm.DB, c *cohort.Cohort, day time.Time) string {
	t.Helper()
	s := &cohort.Session{ID: uuid.NewString(), CohortID: c.ID, StartsAt: day.Add(5 * time.Hour), EndsAt: day.Add(9 * time.Hour),
		Topic: "Session", CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, s)
	return s.ID
}

func enroll(t testing.TB, gdb *gorm.DB, c *cohort.Cohort, u *identity.User, queue int, status string, score *int) *enrollment.Enrollment {
	t.Helper()
	e := &enrollment.Enrollment{ID: uuid.NewString(), CohortID: c.ID, UserID: u.ID, AgencyID: u.AgencyID, Status: status,
		QueueNo: queue, RequestedAt: c.EnrollmentOpensAt, Score: score, CreatedAt: Today, UpdatedAt: Today}
	create(t, gdb, e)
	return e
}

func attend(t testing.TB, gdb *gorm.DB, session, enrollmentID, status string) {
	t.Helper()
	var by string // the trainee stands in for the instructor who recorded it
	if err := gdb.Raw("SELECT user_id FROM enrollments WHERE id = ?", enrollmentID).Scan(&by).Error; err != nil {
		t.Fatal(err)
	}
	create(t, gdb, &certify.Attendance{SessionID: session, EnrollmentID: enrollmentID, Status: status, RecordedBy: by, RecordedAt: Today})
}

func certificate(t testing.TB, gdb *gorm.DB, number string, e *enrollment.Enrollment, c *cohort.Cohort, co *catalog.Course,
	issued time.Time, expires *time.Time) *certify.Certificate {
	t.Helper()
	var u identity.User
	if err := gdb.First(&u, "id = ?", e.UserID).Error; err != nil {
		t.Fatal(err)
	}
	var year, seq int
	if _, err := fmt.Sscanf(number, "MST-%d-%d", &year, &seq); err != nil {
		t.Fatal(err)
	}
	cert := &certify.Certificate{ID: uuid.NewString(), Number: number, Year: year, Seq: seq,
		VerificationCode: "v" + uuid.NewString()[:13], UserID: u.ID, CourseID: co.ID, CohortID: c.ID, EnrollmentID: e.ID,
		HostAgencyID: c.HostAgencyID, HolderName: u.FullName, HolderNameLatin: u.FullNameLatin, Hours: co.DurationHours,
		IssuedOn: issued, ExpiresOn: expires, CreatedAt: Today}
	create(t, gdb, cert)
	return cert
}

// Bulk adds n valid certificates of people of agency, numbered
// BLK-2024-000001 onwards, in one course and cohort hosted by the agency:
// enough rows for an export to flush several times.
func Bulk(t testing.TB, gdb *gorm.DB, agency string, n int) {
	t.Helper()
	co := course(t, gdb, agency, "BK-100", "Bulk course", "other", 8, 0)
	ch := cohortOf(t, gdb, co, agency, "BK-100-2024", date(2024, 1, 1))
	people := make([]*identity.User, 0, n/50+1)
	for i := 0; i < cap(people); i++ {
		people = append(people, person(t, gdb, agency, fmt.Sprintf("Person %d", i), "", "", fmt.Sprintf("BLK-%d", i)))
	}
	enrollments := make([]enrollment.Enrollment, n)
	certificates := make([]certify.Certificate, n)
	for i := range n {
		u := people[i%len(people)]
		enrollments[i] = enrollment.Enrollment{ID: uuid.NewString(), CohortID: ch.ID, UserID: u.ID, AgencyID: agency,
			Status: enrollment.StatusCompleted, QueueNo: i + 1, RequestedAt: Today, CreatedAt: Today, UpdatedAt: Today}
		certificates[i] = certify.Certificate{ID: uuid.NewString(), Number: fmt.Sprintf("BLK-2024-%06d", i+1), Year: 2024, Seq: i + 1,
			VerificationCode: uuid.NewString(), UserID: u.ID, CourseID: co.ID, CohortID: ch.ID, EnrollmentID: enrollments[i].ID,
			HostAgencyID: agency, HolderName: u.FullName, Hours: 8, IssuedOn: date(2024, 2, 1), CreatedAt: Today}
	}
	if err := gdb.CreateInBatches(enrollments, 500).Error; err != nil {
		t.Fatalf("insert enrollments: %v", err)
	}
	if err := gdb.CreateInBatches(certificates, 500).Error; err != nil {
		t.Fatalf("insert certificates: %v", err)
	}
}
