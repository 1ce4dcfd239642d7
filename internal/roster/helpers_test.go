package roster_test

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/identity"
	"muster/internal/roster"
)

// world is the cohort test world with a roster wired to the schedule.
type world struct {
	*cohorttest.World
	Roster *roster.Service
}

func newWorld(t *testing.T, gdb *gorm.DB) *world {
	t.Helper()
	w := &world{World: cohorttest.New(t, gdb)}
	w.Roster = &roster.Service{DB: gdb, Clock: w.Clock}
	w.Cohorts.Schedule = w.Roster
	return w
}

// instructor adds an instructor of agency qualified for courses (codes).
func (w *world) instructor(name, agency string, courses ...string) access.Actor {
	w.T.Helper()
	a := w.Person(name, agency, access.Instructor)
	in := roster.QualificationsInput{Qualifications: []roster.QualificationInput{}}
	for _, c := range courses {
		in.Qualifications = append(in.Qualifications, roster.QualificationInput{Course: c})
	}
	if _, err := w.Roster.SetQualifications(w.Ctx, w.Admin, a.UserID, in); err != nil {
		w.T.Fatalf("qualify %s: %v", name, err)
	}
	return a
}

// online creates an open online cohort of course in zone from starts to ends.
func (w *world) online(actor access.Actor, code, course, lang, zone, starts, ends string) *cohort.Cohort {
	w.T.Helper()
	in := w.Input(code)
	in.Course, in.Language, in.VenueID, in.TimeZone, in.StartsOn, in.EndsOn, in.Status = course, lang, "", zone, starts, ends, "open"
	return w.Cohort(actor, in)
}

// assign puts instructor on session as lead, returning the error.
func (w *world) assign(actor access.Actor, sessionID string, instructor access.Actor, role string) error {
	_, err := w.Roster.Assign(w.Ctx, actor, sessionID, roster.AssignInput{InstructorID: instructor.UserID, Role: role})
	return err
}

// disable disables or enables a user's account through identity, as an admin.
func (w *world) disable(who access.Actor, off bool) {
	w.T.Helper()
	if _, err := w.App.Identity.UpdateUser(w.Ctx, w.Admin, who.UserID, identity.UserPatch{Disabled: &off}); err != nil {
		w.T.Fatalf("disabled=%v %s: %v", off, who.Name, err)
	}
}
