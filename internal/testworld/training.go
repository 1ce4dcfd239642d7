package testworld

import (
	"fmt"
	"time"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/enrollment"
)

// Standard is what a course asks of its trainees.
type Standard struct {
	PassMark, MinAttendancePercent, ValidityMonths int
}

// Course publishes a course owned by the coordinator's agency and returns it.
func (w *World) Course(coord access.Actor, std Standard, prerequisites ...string) *catalog.Course {
	w.T.Helper()
	n := next()
	c, err := w.App.Courses.Create(w.Ctx, coord, catalog.CourseInput{Code: fmt.Sprintf("CN-%d", 100+n%9000), Title: fmt.Sprintf("Course %d", n),
		Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person", DurationHours: 40, Languages: []string{"fa", "tg", "en"},
		Prerequisites: prerequisites, PassMark: std.PassMark, MinAttendancePercent: std.MinAttendancePercent,
		ValidityMonths: std.ValidityMonths, Status: catalog.StatusPublished})
	w.must("course", err)
	return c
}

// Venue adds a venue as actor.
func (w *World) Venue(actor access.Actor, name, city, country, zone string, capacity int) *cohort.Venue {
	w.T.Helper()
	v, err := w.App.Cohorts.CreateVenue(w.Ctx, actor, cohort.VenueInput{Name: name, City: city, Country: country, Capacity: capacity, TimeZone: zone})
	w.must("venue "+name, err)
	return v
}

// Plan is a cohort to schedule: which course, when, how many seats.
type Plan struct {
	Course           *catalog.Course
	StartsOn, EndsOn string // YYYY-MM-DD
	OpensAt          string // RFC 3339; the clock's instant when empty
	ClosesAt         string // RFC 3339; the day before StartsOn when empty
	Capacity         int    // 20 when 0
	RequiresApproval bool
	TimeZone         string // Asia/Tehran when empty
	VenueID          string // online when empty
}

// Cohort schedules an online cohort as coord and opens it for enrollment.
func (w *World) Cohort(coord access.Actor, p Plan) *cohort.Cohort {
	w.T.Helper()
	in := cohort.CohortInput{Code: fmt.Sprintf("C-%d", next()), Course: p.Course.Code, Language: "fa", StartsOn: p.StartsOn, EndsOn: p.EndsOn,
		TimeZone: p.TimeZone, Capacity: p.Capacity, EnrollmentOpensAt: p.OpensAt, EnrollmentClosesAt: p.ClosesAt,
		RequiresApproval: p.RequiresApproval, VenueID: p.VenueID, Status: cohort.StatusOpen}
	if in.Capacity == 0 {
		in.Capacity = 20
	}
	if in.TimeZone == "" {
		in.TimeZone = "Asia/Tehran"
	}
	if in.EnrollmentOpensAt == "" {
		in.EnrollmentOpensAt = w.Clock.Now().UTC().Format("2006-01-02T15:04:05Z")
	}
	if in.EnrollmentClosesAt == "" {
		in.EnrollmentClosesAt = w.Date(p.StartsOn).AddDate(0, 0, -1).Format("2006-01-02T15:04:05Z")
	}
	c, err := w.App.Cohorts.Create(w.Ctx, coord, in)
	w.must("cohort", err)
	return c
}

// Sessions adds n daily sessions of three hours from the cohort's first day.
func (w *World) Sessions(coord access.Actor, c *cohort.Cohort, n int) []*cohort.Session {
	w.T.Helper()
	var out []*cohort.Session
	for i := range n {
		at := c.StartsOn.AddDate(0, 0, i).Add(5 * time.Hour)
		s, err := w.App.Cohorts.AddSession(w.Ctx, coord, c.ID, cohort.SessionInput{StartsAt: at.Format(time.RFC3339),
			EndsAt: at.Add(3 * time.Hour).Format(time.RFC3339), Topic: fmt.Sprintf("Topic %d", i+1)})
		w.must("session", err)
		out = append(out, s)
	}
	return out
}

// SetStatus moves a cohort through its lifecycle as coord.
func (w *World) SetStatus(coord access.Actor, c *cohort.Cohort, status string) {
	w.T.Helper()
	_, err := w.App.Cohorts.Update(w.Ctx, coord, c.ID, cohort.CohortPatch{Status: &status})
	w.must("cohort status "+status, err)
}

// Enroll asks for a seat for trainee as themself and returns the answer,
// whose status is enrolled, waitlisted or pending.
func (w *World) Enroll(trainee access.Actor, c *cohort.Cohort) *enrollment.Row {
	w.T.Helper()
	row, err := w.App.Enroll.Enroll(w.Ctx, trainee, c.ID, enrollment.Request{})
	w.must("enroll "+trainee.Name, err)
	return row
}

// Trainee makes a trainee of agency named name and asks for a seat in c.
func (w *World) Trainee(c *cohort.Cohort, agencyID, name string) (access.Actor, *enrollment.Row) {
	w.T.Helper()
	a := w.Person(agencyID, name, access.Trainee)
	return a, w.Enroll(a, c)
}

// UpdateCourse changes a course as actor, its owner's coordinator or an admin.
func (w *World) UpdateCourse(actor access.Actor, c *catalog.Course, p catalog.CoursePatch) *catalog.Course {
	w.T.Helper()
	out, err := w.App.Courses.Update(w.Ctx, actor, c.Code, p)
	w.must("update course "+c.Code, err)
	return out
}
