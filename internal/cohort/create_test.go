package cohort_test

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

func TestCreateRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		w.Cohort(w.CoordIR, w.Input("CN101-TEH-1"))
		if _, err := w.Courses.Create(w.Ctx, w.CoordIR, draftCourse()); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name       string
			edit       func(*cohort.CohortInput)
			field, key string
		}{
			{"ends before it starts", func(in *cohort.CohortInput) { in.EndsOn = "2026-05-09" }, "ends_on", cohort.KeyEndsBeforeStart},
			{"window closes after the start", func(in *cohort.CohortInput) { in.EnrollmentClosesAt = "2026-05-10T08:00" }, "enrollment_closes_at", cohort.KeyWindowAfterStart},
			{"window closes before it opens", func(in *cohort.CohortInput) { in.EnrollmentOpensAt = "2026-05-02T00:00:00Z" }, "enrollment_closes_at", cohort.KeyWindowOrder},
			{"capacity above the venue", func(in *cohort.CohortInput) { in.Capacity = 41 }, "capacity", cohort.KeyCapacityAboveVenue},
			{"unknown course", func(in *cohort.CohortInput) { in.Course = "XX-999" }, "course", cohort.KeyCourseUnknown},
			{"draft course", func(in *cohort.CohortInput) { in.Course = "DR-101" }, "course", cohort.KeyCourseNotPublished},
			{"language not taught", func(in *cohort.CohortInput) { in.Language = "ru" }, "language", cohort.KeyLanguageNotOffered},
			{"code format", func(in *cohort.CohortInput) { in.Code = "cn 101" }, "code", cohort.KeyCodeFormat},
			{"code taken, any case", func(in *cohort.CohortInput) { in.Code = "cn101-teh-1" }, "code", cohort.KeyCodeTaken},
			{"online without a zone", func(in *cohort.CohortInput) { in.VenueID = "" }, "time_zone", cohort.KeyTimeZoneRequired},
			{"unknown zone", func(in *cohort.CohortInput) { in.TimeZone = "Asia/Atlantis" }, "time_zone", "validation.timezone"},
			{"unknown venue", func(in *cohort.CohortInput) { in.VenueID = "0193a3c0-0000-7000-8000-000000000000" }, "venue_id", cohort.KeyVenueUnknown},
			{"bad date", func(in *cohort.CohortInput) { in.StartsOn = "10/05/2026" }, "starts_on", cohort.KeyDate},
			{"time skipped by daylight saving", func(in *cohort.CohortInput) {
				in.TimeZone, in.EnrollmentOpensAt = "Europe/Berlin", "2026-03-29T02:30"
			}, "enrollment_opens_at", cohort.KeyTimeInGap},
			{"host chosen by a coordinator", func(in *cohort.CohortInput) { in.HostAgencyID = w.TJ }, "host_agency_id", cohort.KeyHostNotAllowed},
			{"status past open", func(in *cohort.CohortInput) { in.Status = "completed" }, "status", "validation.oneof"},
		}
		for i, tc := range cases {
			in := w.Input("CN101-X-" + string(rune('A'+i)))
			tc.edit(&in)
			_, err := w.Cohorts.Create(w.Ctx, w.CoordIR, in)
			t.Run(tc.name, func(t *testing.T) { apperrtest.WantField(t, err, tc.field, tc.key) })
		}
		trainee := w.Person("trainee", w.IR, access.Trainee)
		if _, err := w.Cohorts.Create(w.Ctx, trainee, w.Input("CN101-T")); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("trainee: %v", err)
		}
		if _, err := w.Cohorts.Create(w.Ctx, access.Anonymous("192.0.2.1"), w.Input("CN101-T")); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			t.Fatalf("anonymous: %v", err)
		}
	})
}

func TestCreateOnlineAndByAdmin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		in := w.Input("CN101-ONLINE")
		in.VenueID, in.TimeZone, in.Capacity, in.Status = "", "Asia/Dushanbe", 200, "open"
		in.EnrollmentClosesAt = "2026-05-09T23:59" // wall clock in Dushanbe, before midnight of the start
		c := w.Cohort(w.CoordIR, in)
		if c.VenueID != nil || c.TimeZone != "Asia/Dushanbe" || c.Status != cohort.StatusOpen || c.HostAgencyID != w.IR {
			t.Fatalf("online cohort: %+v", c)
		}
		if got := c.EnrollmentClosesAt.UTC().Format("2006-01-02T15:04Z"); got != "2026-05-09T18:59Z" {
			t.Fatalf("closes at %s", got)
		}
		// An in-person cohort takes its venue's zone; an admin names the host.
		in = w.Input("BS101-DYU")
		in.Course, in.Language, in.VenueID, in.HostAgencyID = "BS-101", "ru", w.Dushanbe.ID, w.TJ
		c = w.Cohort(w.Admin, in)
		if c.TimeZone != "Asia/Dushanbe" || c.HostAgencyID != w.TJ || c.Status != cohort.StatusDraft {
			t.Fatalf("admin's cohort: %+v", c)
		}
		d, err := w.Cohorts.Get(w.Ctx, w.CoordTJ, c.ID)
		if err != nil || d.Venue == nil || d.Venue.City != "Dushanbe" || d.Course.Code != "BS-101" || d.HostAgency.ShortName != "TJ-DCA" {
			t.Fatalf("detail: %+v %v", d, err)
		}
		if d.StartsOn.String() != "2026-05-10" {
			t.Fatalf("starts_on %s", d.StartsOn)
		}
	})
}
