package enrollment_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
	"muster/internal/paging"
)

// TestScopes: the host's coordinators and hr see a cohort's every
// enrollment; other agencies' staff their own people's; trainees their own.
func TestScopes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb) // cohorts are hosted by agency a
		c := f.addCohort(f.course, 2)
		ta, tb, tb2 := f.trainee(f.a), f.trainee(f.b), f.trainee(f.b)
		ra, rb, _ := f.enroll(ta, c), f.enroll(tb, c), f.enroll(tb2, c)
		hrB := f.user(f.b, access.HR)
		for _, tc := range []struct {
			who   access.Actor
			total int64
		}{{f.coordA, 3}, {f.user(f.a, access.HR), 3}, {f.admin, 3}, {f.coordB, 2}, {hrB, 2}} {
			p, err := f.svc.ListForCohort(f.ctx, tc.who, c.ID, Filter{})
			if err != nil || p.Total != tc.total || int64(len(p.Items)) != tc.total {
				t.Fatalf("%s: %v %d", tc.who.Roles, err, p.Total)
			}
		}
		p, _ := f.svc.ListForCohort(f.ctx, f.coordA, c.ID, Filter{Status: StatusWaitlisted})
		if p.Total != 1 || *p.Items[0].WaitlistPosition != 1 {
			t.Fatalf("waitlisted filter: %+v", p)
		}
		_, err := f.svc.ListForCohort(f.ctx, ta, c.ID, Filter{})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		// One enrollment: its trainee, their agency's staff, the host's staff.
		for _, who := range []access.Actor{tb, f.coordB, hrB, f.coordA, f.admin} {
			if _, err := f.svc.Get(f.ctx, who, rb.ID); err != nil {
				t.Fatalf("%v may see b's enrollment: %v", who.Roles, err)
			}
		}
		for _, who := range []access.Actor{tb2, f.coordB, f.user(f.a, access.Instructor)} {
			if _, err := f.svc.Get(f.ctx, who, ra.ID); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Fatalf("%v sees a's enrollment: %v", who.Roles, err)
			}
		}
		mine, err := f.svc.ListMine(f.ctx, tb, paging.Params{})
		if err != nil || mine.Total != 1 || mine.Items[0].ID != rb.ID || mine.Items[0].CourseCode != f.course.Code {
			t.Fatalf("mine: %v %+v", err, mine)
		}
	})
}

// TestRosterCounts: the roster counts, per agency, the rows it lists.
func TestRosterCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 3, func(c *cohort.Cohort) { c.RequiresApproval = true })
		f.setQuotas(c, map[string]int{f.a: 1, f.b: 2})
		f.nominate(f.coordA, f.trainee(f.a), c)
		f.nominate(f.coordA, f.trainee(f.a), c)
		f.enroll(f.trainee(f.a), c)
		f.nominate(f.coordB, f.trainee(f.b), c)
		r, err := f.svc.Roster(f.ctx, f.coordA, c.ID)
		if err != nil || !r.WholeCohort || len(r.Rows) != 4 || len(r.Agencies) != 2 {
			t.Fatalf("roster: %v %+v", err, r)
		}
		byID := map[string]AgencyCount{}
		for _, a := range r.Agencies {
			byID[a.AgencyID] = a
		}
		if a := byID[f.a]; *a.Quota != 1 || a.Enrolled != 1 || a.Waitlisted != 1 || a.Pending != 1 {
			t.Fatalf("agency a: %+v", a)
		}
		if b := byID[f.b]; *b.Quota != 2 || b.Enrolled != 1 || b.Waitlisted != 0 {
			t.Fatalf("agency b: %+v", b)
		}
		if r.Total.Enrolled != 2 || r.Total.Pending+r.Total.Waitlisted+r.Total.Enrolled != len(r.Rows) {
			t.Fatalf("total %+v", r.Total)
		}
		r, _ = f.svc.Roster(f.ctx, f.coordB, c.ID)
		if r.WholeCohort || len(r.Rows) != 1 || len(r.Agencies) != 1 || r.Agencies[0].AgencyID != f.b {
			t.Fatalf("b's roster: %+v", r)
		}
	})
}

// TestOutlookAndTraining: the enroll page's forecast, and "My training"
// with the sessions ahead in the trainee's cohorts.
func TestOutlookAndTraining(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := f.addCohort(f.course, 1)
		ta, tb := f.trainee(f.a), f.trainee(f.b)
		o, err := f.svc.Outlook(f.ctx, ta, c.ID)
		if err != nil || o.Outcome != StatusEnrolled || o.Refusal != nil || o.SeatsLeft != 1 {
			t.Fatalf("outlook: %v %+v", err, o)
		}
		f.enroll(ta, c)
		o, _ = f.svc.Outlook(f.ctx, tb, c.ID)
		if o.Outcome != StatusWaitlisted || o.WaitlistPosition != 1 {
			t.Fatalf("outlook when full: %+v", o)
		}
		f.enroll(tb, c)
		o, _ = f.svc.Outlook(f.ctx, ta, c.ID)
		if o.Current == nil || o.Current.Status != StatusEnrolled || o.Refusal.Code != CodeAlreadyEnrolled {
			t.Fatalf("outlook when enrolled: %+v", o)
		}
		o, _ = f.svc.Outlook(f.ctx, f.coordA, c.ID)
		if o.Refusal == nil || o.Refusal.Code != apperr.CodeForbidden {
			t.Fatalf("outlook for a coordinator: %+v", o)
		}

		// The past session is the first day's first hour in Tehran; the
		// trainee looks an hour after it ended, before the next began.
		start := time.Date(2026, 3, 22, 5, 30, 0, 0, time.UTC) // 09:00 in Tehran
		past := time.Date(2026, 3, 21, 20, 30, 0, 0, time.UTC)
		for i, at := range []time.Time{start.AddDate(0, 0, 1), start, past} {
			f.session(c, at, []string{"Two", "One", "Past"}[i])
		}
		f.clock.Set(past.Add(4 * time.Hour))
		tr, err := f.svc.Training(f.ctx, ta, paging.Params{})
		if err != nil || tr.Enrollments.Total != 1 || len(tr.Sessions) != 2 || tr.Sessions[0].Topic != "One" {
			t.Fatalf("training: %v %+v", err, tr)
		}
		if got := tr.Sessions[0].LocalStart(); got != "2026-03-22 09:00" {
			t.Fatalf("local start %s", got)
		}
		tr, _ = f.svc.Training(f.ctx, tb, paging.Params{})
		if len(tr.Sessions) != 0 || *tr.Enrollments.Items[0].WaitlistPosition != 1 {
			t.Fatalf("waitlisted trainee's training: %+v", tr)
		}
	})
}

// TestCalendarEvents: a trainee's feed gets the sessions of the cohorts
// where they hold a seat, through the roster's feed hook, and keeps those of
// a cancelled cohort marked cancelled.
func TestCalendarEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c, full := f.addCohort(f.course, 1), f.addCohort(f.course, 1)
		tr := f.trainee(f.a)
		f.enroll(tr, c)
		f.enroll(f.trainee(f.a), full)
		f.enroll(tr, full) // waitlisted: no sessions of it
		at := time.Date(2026, 3, 22, 5, 30, 0, 0, time.UTC)
		for _, co := range []*cohort.Cohort{c, full} {
			f.session(co, at, "Risk analysis")
		}
		feed := f.w.App.Roster // with enrollment's sessions, as wired in production
		events, err := feed.UserEvents(f.ctx, tr.UserID)
		if err != nil || len(events) != 1 || events[0].Summary != f.course.Code+" "+f.course.Title+" · Risk analysis" || events[0].Cancelled || !events[0].Start.Equal(at) {
			t.Fatalf("events: %v %+v", err, events)
		}
		f.w.SetStatus(f.coordA, c, cohort.StatusCancelled)
		events, _ = feed.UserEvents(f.ctx, tr.UserID)
		if len(events) != 1 || !events[0].Cancelled {
			t.Fatalf("after cancellation: %+v", events)
		}
	})
}

// session adds a three-hour session to c at at through the cohort service.
func (f *fixture) session(c *cohort.Cohort, at time.Time, topic string) {
	f.t.Helper()
	_, err := f.w.App.Cohorts.AddSession(f.ctx, f.coordA, c.ID, cohort.SessionInput{StartsAt: at.Format(time.RFC3339),
		EndsAt: at.Add(3 * time.Hour).Format(time.RFC3339), Topic: topic})
	if err != nil {
		f.t.Fatalf("session %s: %v", topic, err)
	}
}
