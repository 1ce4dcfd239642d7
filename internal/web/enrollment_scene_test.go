package web_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/identity"
	"muster/internal/webtest"
)

var enrollmentCourses atomic.Int64

// identityInput is a trainee of agency with a name and an email made from it.
func identityInput(agency, name string) identity.UserInput {
	email := strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@example.org"
	return identity.UserInput{Email: email, FullName: name, AgencyID: agency, Roles: []string{access.Trainee}, Password: webtest.Password}
}

// newEnrollmentScene inserts a published course and an open cohort of it
// hosted by host, enrolling from a day before now and starting twenty days
// later, with quotas (agency id → seats). People then enroll through the
// service, so the seat counters agree with the rows.
func newEnrollmentScene(t testing.TB, gdb *gorm.DB, now time.Time, host string, capacity int, quotas map[string]int) *cohort.Cohort {
	t.Helper()
	now = now.UTC().Truncate(time.Second)
	n := enrollmentCourses.Add(1)
	course := &catalog.Course{ID: uuid.NewString(), Code: fmt.Sprintf("EN-%04d", n), OwnerAgencyID: host, Title: "Joint patrol planning",
		Discipline: "border_security", Level: "basic", Delivery: "in_person", DurationHours: 30, Status: catalog.StatusPublished, CreatedAt: now, UpdatedAt: now}
	if err := gdb.Create(course).Error; err != nil {
		t.Fatal(err)
	}
	if err := gdb.Create(&catalog.CourseLanguage{CourseID: course.ID, Language: "tg"}).Error; err != nil {
		t.Fatal(err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	c := &cohort.Cohort{ID: uuid.NewString(), Code: course.Code + "-1", CourseID: course.ID, HostAgencyID: host, Language: "tg",
		StartsOn: day.AddDate(0, 0, 20), EndsOn: day.AddDate(0, 0, 25), TimeZone: "Asia/Dushanbe", Capacity: capacity,
		EnrollmentOpensAt: now.Add(-24 * time.Hour), EnrollmentClosesAt: now.Add(10 * 24 * time.Hour), Status: cohort.StatusOpen,
		CreatedAt: now, UpdatedAt: now}
	if err := gdb.Create(c).Error; err != nil {
		t.Fatal(err)
	}
	for ag, seats := range quotas {
		if err := gdb.Create(&cohort.Quota{CohortID: c.ID, AgencyID: ag, Seats: seats}).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}
