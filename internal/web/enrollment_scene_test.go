package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
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

// newEnrollmentScene publishes a course and opens a cohort of it hosted by
// host, through the catalogue and cohort services as the platform: enrolling
// from a day before now and starting twenty days later, with quotas (agency
// id → seats). People then enroll through the service, so the seat counters
// agree with the rows.
func newEnrollmentScene(t testing.TB, gdb *gorm.DB, now time.Time, host string, capacity int, quotas map[string]int) *cohort.Cohort {
	t.Helper()
	now = now.UTC().Truncate(time.Second)
	ctx, clk, system := context.Background(), clock.NewFixed(now), access.System()
	n := enrollmentCourses.Add(1)
	course, err := (&catalog.Service{DB: gdb, Clock: clk}).Create(ctx, system, catalog.CourseInput{Code: fmt.Sprintf("EN-%04d", n),
		OwnerAgencyID: host, Title: "Joint patrol planning", Discipline: "border_security", Level: "basic", Delivery: "in_person",
		DurationHours: 30, Languages: []string{"tg"}, Status: catalog.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	cohorts := &cohort.Service{DB: gdb, Clock: clk}
	c, err := cohorts.Create(ctx, system, cohort.CohortInput{Code: course.Code + "-1", Course: course.Code, HostAgencyID: host, Language: "tg",
		StartsOn: day.AddDate(0, 0, 20).Format(time.DateOnly), EndsOn: day.AddDate(0, 0, 25).Format(time.DateOnly), TimeZone: "Asia/Dushanbe",
		Capacity: capacity, EnrollmentOpensAt: now.Add(-24 * time.Hour).Format(time.RFC3339),
		EnrollmentClosesAt: now.Add(10 * 24 * time.Hour).Format(time.RFC3339), Status: cohort.StatusOpen})
	if err != nil {
		t.Fatal(err)
	}
	if len(quotas) > 0 {
		in := cohort.QuotasInput{}
		for ag, seats := range quotas {
			in.Quotas = append(in.Quotas, cohort.QuotaInput{AgencyID: ag, Seats: seats})
		}
		if _, err := cohorts.SetQuotas(ctx, system, c.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return c
}
