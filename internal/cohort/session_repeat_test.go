package cohort_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

// localDays lists the sessions' start days and wall-clock times in zone.
func localDays(ss []*cohort.Session, zone string) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.StartsAt.In(cohort.ZoneOf(zone)).Format("Mon 01-02 15:04"))
	}
	return strings.Join(out, ", ")
}

// TestSessionSeries: a daily series skips the host country's weekend
// (Friday in Iran, Saturday and Sunday in Tajikistan), a weekly one keeps
// its weekday, every session at the same wall-clock time and audited.
func TestSessionSeries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		in := w.Input("REP-IR")
		in.EndsOn = "2026-05-31"
		ir := w.Cohort(w.CoordIR, in)
		got, err := w.Cohorts.AddSessions(w.Ctx, w.CoordIR, ir.ID, cohort.SessionInput{StartsAt: "2026-05-13T09:00", EndsAt: "2026-05-13T12:00",
			Topic: "Drill", Room: "A", Repeat: &cohort.Repeat{Every: "day", Count: 5}, SkipWeekends: true})
		if err != nil {
			t.Fatal(err)
		}
		if s := localDays(got, ir.TimeZone); s != "Wed 05-13 09:00, Thu 05-14 09:00, Sat 05-16 09:00, Sun 05-17 09:00, Mon 05-18 09:00" {
			t.Fatalf("Tehran series: %s", s)
		}
		var n int64
		gdb.Table("audit_events").Where("action = 'session.create' AND agency_id = ?", ir.HostAgencyID).Count(&n)
		if n != 5 {
			t.Fatalf("audit events: %d", n)
		}

		tj := w.Input("REP-TJ")
		tj.VenueID, tj.EndsOn = w.Dushanbe.ID, "2026-05-31"
		dus := w.Cohort(w.CoordTJ, tj)
		got, err = w.Cohorts.AddSessions(w.Ctx, w.CoordTJ, dus.ID, cohort.SessionInput{StartsAt: "2026-05-14T14:00", EndsAt: "2026-05-14T15:30",
			Topic: "Law", Repeat: &cohort.Repeat{Every: "day", Count: 3}, SkipWeekends: true})
		if err != nil {
			t.Fatal(err)
		}
		if s := localDays(got, dus.TimeZone); s != "Thu 05-14 14:00, Fri 05-15 14:00, Mon 05-18 14:00" {
			t.Fatalf("Dushanbe series: %s", s)
		}
		got, err = w.Cohorts.AddSessions(w.Ctx, w.CoordTJ, dus.ID, cohort.SessionInput{StartsAt: "2026-05-16T10:00", EndsAt: "2026-05-16T11:00",
			Topic: "Review", Repeat: &cohort.Repeat{Every: "week", Count: 3}, SkipWeekends: true})
		if err != nil {
			t.Fatal(err)
		}
		if s := localDays(got, dus.TimeZone); s != "Sat 05-16 10:00, Sat 05-23 10:00, Sat 05-30 10:00" {
			t.Fatalf("weekly series: %s", s)
		}
	})
}

// TestSessionSeriesAllOrNothing: a series that runs past the cohort's last
// day adds nothing and names the day; bad repeats and links name their field.
func TestSessionSeriesAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		c := w.Cohort(w.CoordIR, w.Input("REP-1")) // 10-14 May
		_, err := w.Cohorts.AddSessions(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: "2026-05-12T09:00", EndsAt: "2026-05-12T10:00",
			Topic: "X", Repeat: &cohort.Repeat{Every: "day", Count: 4}})
		e := apperrtest.WantCode(t, err, apperr.CodeInvalid)
		apperrtest.WantField(t, err, "repeat", cohort.KeyRepeatDay)
		if e.Fields[len(e.Fields)-1].Args["Date"] != "2026-05-15" {
			t.Fatalf("named day: %+v", e.Fields)
		}
		ss, _ := w.Cohorts.Sessions(w.Ctx, c.ID)
		if len(ss) != 0 {
			t.Fatalf("a refused series left %d sessions", len(ss))
		}
		_, err = w.Cohorts.AddSessions(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: "2026-05-12T09:00", EndsAt: "2026-05-12T10:00",
			Topic: "X", Repeat: &cohort.Repeat{Every: "month", Count: 0}})
		apperrtest.WantField(t, err, "repeat.every", "validation.oneof")
		apperrtest.WantField(t, err, "repeat.count", "validation.min")
		for _, bad := range []string{"javascript:alert(1)", "zoom.example/j/1", "https://user:pw@meet.example/x"} {
			_, err = w.Cohorts.AddSession(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: "2026-05-12T09:00", EndsAt: "2026-05-12T10:00",
				Topic: "X", MeetingURL: bad})
			apperrtest.WantField(t, err, "meeting_url", cohort.KeyMeetingURL)
		}
		s, err := w.Cohorts.AddSession(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: "2026-05-12T09:00", EndsAt: "2026-05-12T10:00",
			Topic: "X", MeetingURL: " https://meet.example/muster-1 "})
		if err != nil || s.MeetingURL != "https://meet.example/muster-1" {
			t.Fatalf("meeting link: %v %+v", err, s)
		}
	})
}
