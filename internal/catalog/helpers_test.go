package catalog

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
	"muster/internal/identity"
)

// fixture is a catalogue with two agencies and an actor of each kind.
type fixture struct {
	svc      *Service
	gdb      *gorm.DB
	a, b     string // agency ids
	admin    access.Actor
	coordA   access.Actor
	coordB   access.Actor
	trainee  access.Actor // of agency A
	hrA      access.Actor
	anon     access.Actor
	ctx      context.Context
	baseTime time.Time
}

func setup(t *testing.T, gdb *gorm.DB) *fixture {
	t.Helper()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	f := &fixture{
		svc: &Service{DB: gdb, Clock: clock.NewFixed(start)}, gdb: gdb, ctx: context.Background(), baseTime: start,
		a: addAgency(t, gdb, "Police Drug Control HQ", "PDC", "IR"),
		b: addAgency(t, gdb, "Drug Control Agency", "DCA", "TJ"),
	}
	f.admin = actor("Admin", "", access.Admin)
	f.coordA = actor("Coordinator A", f.a, access.Coordinator)
	f.coordB = actor("Coordinator B", f.b, access.Coordinator)
	f.trainee = actor("Trainee A", f.a, access.Trainee)
	f.hrA = actor("HR A", f.a, access.HR)
	f.anon = access.Anonymous("192.0.2.1")
	return f
}

// addAgency creates an agency through identity's service, which owns agencies.
func addAgency(t testing.TB, gdb *gorm.DB, name, short, country string) string {
	t.Helper()
	a, err := identity.NewService(gdb, clock.System{}).CreateAgency(context.Background(), access.System(),
		identity.AgencyInput{Name: name, ShortName: short, Country: country, Kind: "drug_control"})
	if err != nil {
		t.Fatalf("agency %s: %v", short, err)
	}
	return a.ID
}

func actor(name, agency string, roles ...string) access.Actor {
	return access.Actor{UserID: uuid.NewString(), Name: name, AgencyID: agency, Roles: roles, IP: "192.0.2.10"}
}

// input is a valid course; change what a test is about.
func input(code string, prereqs ...string) CourseInput {
	return CourseInput{
		Code: code, Title: "Course " + code, Summary: "Summary of " + code,
		Description: "Text.", Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person",
		DurationHours: 40, Languages: []string{"fa", "ru"}, Prerequisites: prereqs,
		PassMark: 60, MinAttendancePercent: 80, ValidityMonths: 36, Status: StatusPublished,
	}
}

func (f *fixture) create(t *testing.T, who access.Actor, in CourseInput) *Course {
	t.Helper()
	c, err := f.svc.Create(f.ctx, who, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Code, err)
	}
	return c
}

func (f *fixture) update(t *testing.T, who access.Actor, code string, p CoursePatch) *Course {
	t.Helper()
	c, err := f.svc.Update(f.ctx, who, code, p)
	if err != nil {
		t.Fatalf("update %s: %v", code, err)
	}
	return c
}

func auditCount(t *testing.T, gdb *gorm.DB, action string) int64 {
	t.Helper()
	var n int64
	if err := gdb.Table("audit_events").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

// codesOf lists the codes of a page of results.
func codesOf(items []CourseSummary) string {
	codes := make([]string, len(items))
	for i, it := range items {
		codes[i] = it.Code
	}
	return strings.Join(codes, " ")
}
