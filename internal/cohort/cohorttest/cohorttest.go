// Package cohorttest builds the world cohort and roster tests need on top of
// testworld (the real services, wired as in production): two partner
// agencies (Iranian and Tajik), people with roles, published courses,
// venues in Tehran and Dushanbe, and a movable clock.
package cohorttest

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/testworld"
)

// Start is the fixed clock's instant: before every cohort the tests schedule.
var Start = testworld.Start

// World is a database with two agencies and services over it.
type World struct {
	*testworld.World
	T       testing.TB
	DB      *gorm.DB
	Ctx     context.Context
	Clock   *clock.Fixed
	Cohorts *cohort.Service
	Courses *catalog.Service
	IR, TJ  string // agency ids
	Admin   access.Actor
	CoordIR access.Actor
	CoordTJ access.Actor
	// Course ids by code: CN-101 (fa, tg, en), BS-101 (ru, tg, en).
	CourseIDs map[string]string
	Tehran    *cohort.Venue // Asia/Tehran, 40 places
	Dushanbe  *cohort.Venue // Asia/Dushanbe, 30 places
}

// New builds the world on gdb.
func New(t testing.TB, gdb *gorm.DB) *World {
	t.Helper()
	tw := testworld.New(t, gdb)
	w := &World{World: tw, T: t, DB: gdb, Ctx: tw.Ctx, Clock: tw.Clock, Cohorts: tw.App.Cohorts, Courses: tw.App.Courses, CourseIDs: map[string]string{}}
	w.IR = w.Agency("IR-ANP", "IR")
	w.TJ = w.Agency("TJ-DCA", "TJ")
	w.Admin = w.Person("admin-ir", w.IR, access.Admin)
	w.CoordIR = w.Person("coord-ir", w.IR, access.Coordinator)
	w.CoordTJ = w.Person("coord-tj", w.TJ, access.Coordinator)
	for code, langs := range map[string]string{"CN-101": "fa tg en", "BS-101": "ru tg en"} {
		c, err := w.Courses.Create(w.Ctx, access.System(), catalog.CourseInput{Code: code, OwnerAgencyID: w.IR, Title: "Course " + code,
			Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person", DurationHours: 40,
			Languages: strings.Fields(langs), Status: catalog.StatusPublished})
		if err != nil {
			t.Fatalf("course %s: %v", code, err)
		}
		w.CourseIDs[code] = c.ID
	}
	w.Tehran = w.Venue(w.CoordIR, "Police Academy", "Tehran", "IR", "Asia/Tehran", 40)
	w.Dushanbe = w.Venue(w.CoordTJ, "Training Centre", "Dushanbe", "TJ", "Asia/Dushanbe", 30)
	return w
}

// Agency creates an agency with the short name and returns its id.
func (w *World) Agency(short, country string) string {
	w.T.Helper()
	a, err := w.App.Identity.CreateAgency(w.Ctx, access.System(), identity.AgencyInput{Name: "Agency " + short, ShortName: short, Country: country, Kind: "police"})
	if err != nil {
		w.T.Fatalf("agency: %v", err)
	}
	return a.ID
}

// Person creates a user of agency with roles, named "Person <name>", and
// returns them as an actor.
func (w *World) Person(name, agency string, roles ...string) access.Actor {
	w.T.Helper()
	cu, err := w.App.Identity.CreateUser(w.Ctx, access.System(), identity.UserInput{Email: name + "@example.org", FullName: "Person " + name, AgencyID: agency, Roles: roles})
	if err != nil {
		w.T.Fatalf("user: %v", err)
	}
	return access.Actor{UserID: cu.User.ID, Name: cu.User.FullName, AgencyID: agency, Roles: roles, IP: "192.0.2.9"}
}

// Venue adds a venue as actor.
func (w *World) Venue(actor access.Actor, name, city, country, zone string, capacity int) *cohort.Venue {
	w.T.Helper()
	v, err := w.Cohorts.CreateVenue(w.Ctx, actor, cohort.VenueInput{Name: name, City: city, Country: country, Capacity: capacity, TimeZone: zone})
	if err != nil {
		w.T.Fatalf("venue %s: %v", name, err)
	}
	return v
}

// Input is a valid cohort of CN-101 at the Tehran venue, 10 to 14 May 2026,
// enrollment open through April.
func (w *World) Input(code string) cohort.CohortInput {
	return cohort.CohortInput{Code: code, Course: "CN-101", VenueID: w.Tehran.ID, Language: "fa",
		StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 20,
		EnrollmentOpensAt: "2026-04-01T00:00:00Z", EnrollmentClosesAt: "2026-05-01T00:00:00Z"}
}

// Cohort creates a cohort as actor, failing the test on error.
func (w *World) Cohort(actor access.Actor, in cohort.CohortInput) *cohort.Cohort {
	w.T.Helper()
	c, err := w.Cohorts.Create(w.Ctx, actor, in)
	if err != nil {
		w.T.Fatalf("cohort %s: %v", in.Code, err)
	}
	return c
}

// Session adds a session as actor, failing the test on error.
func (w *World) Session(actor access.Actor, cohortID, starts, ends, topic, room string) *cohort.Session {
	w.T.Helper()
	s, err := w.Cohorts.AddSession(w.Ctx, actor, cohortID, cohort.SessionInput{StartsAt: starts, EndsAt: ends, Topic: topic, Room: room})
	if err != nil {
		w.T.Fatalf("session %s: %v", topic, err)
	}
	return s
}

// Enroll has person ask for a seat in the cohort through the enrollment
// service, failing the test unless the answer is status, and returns it.
func (w *World) Enroll(cohortID string, person access.Actor, status string) *enrollment.Row {
	w.T.Helper()
	row, err := w.App.Enroll.Enroll(w.Ctx, person, cohortID, enrollment.Request{})
	if err != nil {
		w.T.Fatalf("enroll %s: %v", person.Name, err)
	}
	if row.Status != status {
		w.T.Fatalf("enroll %s: %s, want %s", person.Name, row.Status, status)
	}
	return row
}

// SeatLog records what a cohort.SeatWatcher was told.
type SeatLog struct{ Freed, Cancelled []string }

// SeatsFreed records the cohort.
func (l *SeatLog) SeatsFreed(_ context.Context, _ *gorm.DB, _ access.Actor, id string) error {
	l.Freed = append(l.Freed, id)
	return nil
}

// CohortCancelled records the cohort.
func (l *SeatLog) CohortCancelled(_ context.Context, _ *gorm.DB, _ access.Actor, id string) error {
	l.Cancelled = append(l.Cancelled, id)
	return nil
}
