package enrollment_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	. "muster/internal/enrollment"
)

// TestCohortNotOpen: the cohort must be open, the window must hold, and the
// cohort must not have started, in the cohort's own time zone.
func TestCohortNotOpen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		now := f.clock.Now()
		cases := []struct {
			name      string
			edit      func(*cohort.Cohort)
			pastStart bool // the window held open past the first day
			now       time.Time
			key       string
		}{
			{"in progress", func(c *cohort.Cohort) { c.Status = cohort.StatusInProgress }, false, now, KeyNotOpenStatus},
			{"cancelled", func(c *cohort.Cohort) { c.Status = cohort.StatusCancelled }, false, now, KeyNotOpenStatus},
			{"window not yet open", func(c *cohort.Cohort) { c.EnrollmentOpensAt = now.Add(time.Hour) }, false, now, KeyNotOpenBefore},
			{"window closed", func(c *cohort.Cohort) { c.EnrollmentClosesAt = now }, false, now, KeyNotOpenAfter},
			// 20:31 UTC on the 21st is 00:01 on the 22nd in Tehran: the first day.
			{"started in Tehran", nil, true, time.Date(2026, 3, 21, 20, 31, 0, 0, time.UTC), KeyNotOpenStarted},
		}
		for _, tc := range cases {
			f.clock.Set(now)
			var edits []func(*cohort.Cohort)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			c := f.addCohort(f.course, 5, edits...)
			if tc.pastStart {
				f.closeAfterStart(c)
			}
			f.clock.Set(tc.now)
			_, err := f.svc.Enroll(f.ctx, f.trainee(f.a), c.ID, Request{})
			e := apperrtest.WantCode(t, err, CodeCohortNotOpen)
			if e.Key != tc.key || e.Details["status"] == nil {
				t.Errorf("%s: key %s details %v", tc.name, e.Key, e.Details)
			}
		}
		// One minute earlier it is still the 21st in Tehran: enrollment
		// proceeds, in a window that closes as the first day begins there.
		f.clock.Set(now)
		c := f.addCohort(f.course, 5, func(c *cohort.Cohort) { c.EnrollmentClosesAt = time.Date(2026, 3, 21, 20, 30, 0, 0, time.UTC) })
		f.clock.Set(time.Date(2026, 3, 21, 20, 29, 0, 0, time.UTC))
		if r := f.enroll(f.trainee(f.a), c); r.Status != StatusEnrolled {
			t.Fatalf("the day before the start: %s", r.Status)
		}
		// A draft is invisible to trainees, and not open to its managers.
		f.clock.Set(now)
		draft := f.addCohort(f.course, 5, func(c *cohort.Cohort) { c.Status = cohort.StatusDraft })
		_, err := f.svc.Enroll(f.ctx, f.trainee(f.a), draft.ID, Request{})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Enroll(f.ctx, f.coordA, draft.ID, Request{UserID: f.trainee(f.a).UserID})
		apperrtest.WantCode(t, err, CodeCohortNotOpen)
		_, err = f.svc.Enroll(f.ctx, f.trainee(f.a), "not-an-id", Request{})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
	})
}

// TestAgencyParticipation: no quotas admit every agency; with quotas only
// the listed agencies, even one with no seats (it waits).
func TestAgencyParticipation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		open := f.addCohort(f.course, 5)
		if r := f.enroll(f.trainee(f.b), open); r.Status != StatusEnrolled {
			t.Fatalf("no quotas: %s", r.Status)
		}
		c := f.addCohort(f.course, 5)
		f.setQuotas(c, map[string]int{f.b: 5})
		_, err := f.svc.Enroll(f.ctx, f.trainee(f.a), c.ID, Request{})
		apperrtest.WantCode(t, err, CodeAgencyNotParticipating)
		zero := f.addCohort(f.course, 5)
		f.setQuotas(zero, map[string]int{f.a: 0, f.b: 5})
		if r := f.enroll(f.trainee(f.a), zero); r.Status != StatusWaitlisted {
			t.Fatalf("quota of 0: %s", r.Status)
		}
		// The window is checked before participation.
		closed := f.addCohort(f.course, 5, func(c *cohort.Cohort) { c.EnrollmentClosesAt = f.clock.Now() })
		f.setQuotas(closed, map[string]int{f.b: 5})
		_, err = f.svc.Enroll(f.ctx, f.trainee(f.a), closed.ID, Request{})
		apperrtest.WantCode(t, err, CodeCohortNotOpen)
	})
}

// TestAlreadyEnrolled: one live request per person and cohort; after a
// withdrawal a new request joins the end of the queue.
func TestAlreadyEnrolled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for _, tc := range []struct {
			name     string
			capacity int
			approval bool
			status   string
		}{{"enrolled", 5, false, StatusEnrolled}, {"waitlisted", 0, false, StatusWaitlisted}, {"pending", 5, true, StatusPending}} {
			c := f.addCohort(f.course, max(tc.capacity, 1), func(c *cohort.Cohort) { c.RequiresApproval = tc.approval })
			if tc.capacity == 0 {
				f.enroll(f.trainee(f.a), c)
			}
			tr := f.trainee(f.a)
			first := f.enroll(tr, c)
			if first.Status != tc.status {
				t.Fatalf("%s: first request %s", tc.name, first.Status)
			}
			_, err := f.svc.Enroll(f.ctx, tr, c.ID, Request{})
			e := apperrtest.WantCode(t, err, CodeAlreadyEnrolled)
			if e.Details["enrollment_id"] != first.ID || e.Details["status"] != tc.status {
				t.Errorf("%s: details %v", tc.name, e.Details)
			}
			// A nomination of someone already asking is refused alike.
			_, err = f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: tr.UserID})
			apperrtest.WantCode(t, err, CodeAlreadyEnrolled)
			if _, err := f.svc.Withdraw(f.ctx, tr, first.ID, Decision{}); err != nil {
				t.Fatal(err)
			}
			again := f.enroll(tr, c)
			if again.ID == first.ID || again.QueueNo <= first.QueueNo {
				t.Errorf("%s: the new request is not a new place in the queue", tc.name)
			}
			f.checkCounters(c)
		}
	})
}

// TestPrerequisites: each prerequisite needs a valid certificate or a
// completed enrollment whose certificate is neither expired nor revoked.
func TestPrerequisites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		p1, p2 := f.addCourse("CT-101"), f.addCourse("CT-102")
		advanced := f.addCourse("CT-401", p1, p2)
		past := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		today := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		future := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
		cases := []struct {
			name    string
			give    func(f *fixture, tr access.Actor)
			missing string
		}{
			{"none held", func(*fixture, access.Actor) {}, "CT-101, CT-102"},
			{"one valid certificate", func(f *fixture, tr access.Actor) { f.certificate(tr, p1, &future, false) }, "CT-102"},
			{"certificates without expiry", func(f *fixture, tr access.Actor) {
				f.certificate(tr, p1, nil, false)
				f.certificate(tr, p2, nil, false)
			}, ""},
			{"expired certificate", func(f *fixture, tr access.Actor) {
				f.certificate(tr, p1, &past, false)
				f.certificate(tr, p2, nil, false)
			}, "CT-101"},
			{"expiring today", func(f *fixture, tr access.Actor) {
				f.certificate(tr, p1, &today, false)
				f.certificate(tr, p2, nil, false)
			}, "CT-101"},
			{"revoked certificate", func(f *fixture, tr access.Actor) { f.certificate(tr, p1, nil, true); f.certificate(tr, p2, nil, false) }, "CT-101"},
			{"completed without certificate", func(f *fixture, tr access.Actor) { f.completed(tr, p1); f.completed(tr, p2) }, ""},
		}
		for _, tc := range cases {
			c := f.addCohort(advanced, 10)
			tr := f.trainee(f.a)
			tc.give(f, tr)
			r, err := f.svc.Enroll(f.ctx, tr, c.ID, Request{})
			if tc.missing == "" {
				if err != nil || r.Status != StatusEnrolled {
					t.Errorf("%s: %v", tc.name, err)
				}
				continue
			}
			e := apperrtest.WantCode(t, err, CodePrerequisitesMissing)
			var codes []string
			for _, m := range e.Details["missing"].([]CourseRef) {
				codes = append(codes, m.Code)
			}
			if strings.Join(codes, ", ") != tc.missing || e.Args["Codes"] != tc.missing {
				t.Errorf("%s: missing %v, args %v; want %s", tc.name, codes, e.Args, tc.missing)
			}
			if e.MessageKey() != "error.prerequisites_missing" {
				t.Errorf("%s: the trainee is told %s", tc.name, e.MessageKey())
			}
		}
		// A coordinator nominating is told what the person lacks, by name.
		c := f.addCohort(advanced, 10)
		tr := f.trainee(f.a)
		_, err := f.svc.Enroll(f.ctx, f.coordA, c.ID, Request{UserID: tr.UserID})
		e := apperrtest.WantCode(t, err, CodePrerequisitesMissing)
		if e.MessageKey() != KeyPrerequisitesOther || e.Args["Name"] != tr.Name || tr.Name == "" {
			t.Errorf("the coordinator is told %s %v", e.MessageKey(), e.Args)
		}
	})
}

// TestAlreadyCertified: a valid certificate refuses a new request until the
// recertification window before its expiry.
func TestAlreadyCertified(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		in := func(days int) *time.Time { return ptr(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)) }
		cases := []struct {
			name    string
			expires *time.Time
			revoked bool
			window  int
			refused bool
		}{
			{"never expires", nil, false, 90, true},
			{"expires in 200 days", in(200), false, 90, true},
			{"expires in 91 days", in(91), false, 90, true},
			{"expires in 90 days", in(90), false, 90, false},
			{"expires in 60 days", in(60), false, 90, false},
			{"expires in 60 days, window 30", in(60), false, 30, true},
			{"expires tomorrow, no window", in(1), false, 0, true},
			{"expired", in(-5), false, 90, false},
			{"revoked", nil, true, 90, false},
		}
		for _, tc := range cases {
			f.svc.RecertWindowDays = tc.window
			c := f.addCohort(f.course, 10)
			tr := f.trainee(f.a)
			f.certificate(tr, f.course, tc.expires, tc.revoked)
			_, err := f.svc.Enroll(f.ctx, tr, c.ID, Request{})
			if !tc.refused {
				if err != nil {
					t.Errorf("%s: %v", tc.name, err)
				}
				continue
			}
			e := apperrtest.WantCode(t, err, CodeAlreadyCertified)
			if tc.expires != nil && (e.Key != "enrollment.certified_until" || e.Details["renewable_from"] == nil) {
				t.Errorf("%s: key %s details %v", tc.name, e.Key, e.Details)
			}
		}
	})
}
