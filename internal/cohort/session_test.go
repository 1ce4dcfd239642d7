package cohort_test

import (
	"muster/internal/apperr/apperrtest"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

func TestSessionsWithinDatesInTheCohortsZone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		c := w.Cohort(w.CoordIR, w.Input("SES-1")) // 10-14 May, Asia/Tehran
		// 00:30 on the first day in Tehran is still 9 May in UTC: inside.
		s := w.Session(w.CoordIR, c.ID, "2026-05-10T00:30", "2026-05-10T02:00", "Early", "A")
		if got := s.StartsAt.UTC().Format(time.RFC3339); got != "2026-05-09T21:00:00Z" {
			t.Fatalf("stored %s", got)
		}
		if got := cohort.FormatLocal(s.StartsAt, cohort.ZoneOf(c.TimeZone)); got != "2026-05-10 00:30" {
			t.Fatalf("shown %s", got)
		}
		// An RFC 3339 instant is taken as it is.
		w.Session(w.CoordIR, c.ID, "2026-05-14T19:00:00Z", "2026-05-14T20:29:00Z", "Late", "A") // 23:59 Tehran
		for _, tc := range []struct{ starts, ends, field, key string }{
			{"2026-05-09T23:30", "2026-05-10T01:00", "starts_at", cohort.KeySessionOutside},
			{"2026-05-14T23:00", "2026-05-15T00:30", "starts_at", cohort.KeySessionOutside},
			{"2026-05-11T10:00", "2026-05-11T09:00", "ends_at", cohort.KeySessionOrder},
			{"2026-05-11T06:00", "2026-05-11T19:00", "ends_at", cohort.KeySessionTooLong},
			{"2026-05-11 nine", "2026-05-11T10:00", "starts_at", cohort.KeyInstant},
		} {
			_, err := w.Cohorts.AddSession(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: tc.starts, EndsAt: tc.ends, Topic: "X"})
			apperrtest.WantField(t, err, tc.field, tc.key)
		}
		_, err := w.Cohorts.AddSession(w.Ctx, w.CoordIR, c.ID, cohort.SessionInput{StartsAt: "2026-05-11T09:00", EndsAt: "2026-05-11T10:00"})
		apperrtest.WantField(t, err, "topic", "validation.required")
		ss, err := w.Cohorts.Sessions(w.Ctx, c.ID)
		if err != nil || len(ss) != 2 || ss[0].Topic != "Early" {
			t.Fatalf("sessions: %+v %v", ss, err)
		}
	})
}

func TestVenueConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		a := w.Cohort(w.CoordIR, w.Input("VEN-A"))
		in := w.Input("VEN-B")
		in.Course, in.Language = "BS-101", "en"
		b := w.Cohort(w.Admin, in) // same venue, same days
		first := w.Session(w.CoordIR, a.ID, "2026-05-11T09:00", "2026-05-11T12:00", "Legal framework", "101")
		// Same room, overlapping: refused, naming the session.
		_, err := w.Cohorts.AddSession(w.Ctx, w.Admin, b.ID, cohort.SessionInput{StartsAt: "2026-05-11T11:00", EndsAt: "2026-05-11T13:00", Topic: "Checkpoints", Room: "101"})
		e := apperrtest.WantCode(t, err, cohort.CodeVenueConflict)
		if ref, ok := e.Details["session"].(cohort.SessionRef); !ok || ref.SessionID != first.ID || e.Args["Cohort"] != "VEN-A" || e.Args["Start"] != "2026-05-11 09:00" {
			t.Fatalf("conflict names %+v %v", e.Details, e.Args)
		}
		// The whole venue (no room named) clashes with every room.
		_, err = w.Cohorts.AddSession(w.Ctx, w.Admin, b.ID, cohort.SessionInput{StartsAt: "2026-05-11T11:00", EndsAt: "2026-05-11T13:00", Topic: "Assembly"})
		apperrtest.WantCode(t, err, cohort.CodeVenueConflict)
		// Another room, or back to back in the same room: no clash.
		w.Session(w.Admin, b.ID, "2026-05-11T11:00", "2026-05-11T13:00", "Checkpoints", "102")
		second := w.Session(w.Admin, b.ID, "2026-05-11T12:00", "2026-05-11T13:00", "Debrief", "101")
		// Moving a session onto the other is refused; moving it later is fine.
		_, err = w.Cohorts.UpdateSession(w.Ctx, w.Admin, second.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T11:30")})
		apperrtest.WantCode(t, err, cohort.CodeVenueConflict)
		if _, err := w.Cohorts.UpdateSession(w.Ctx, w.Admin, second.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T12:30"), EndsAt: ptr("2026-05-11T14:00")}); err != nil {
			t.Fatal(err)
		}
		// A cancelled cohort's sessions no longer hold the room.
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordIR, a.ID, cohort.CohortPatch{Status: ptr("cancelled")}); err != nil {
			t.Fatal(err)
		}
		w.Session(w.Admin, b.ID, "2026-05-11T09:00", "2026-05-11T10:00", "Welcome", "101")
		// Moving a cohort to a venue where its sessions clash is refused.
		c := w.Cohort(w.CoordIR, w.Input("VEN-C"))
		c2 := w.Session(w.CoordIR, c.ID, "2026-05-12T09:00", "2026-05-12T10:00", "Other", "101")
		if _, err := w.Cohorts.UpdateSession(w.Ctx, w.CoordIR, c2.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T09:30"), EndsAt: ptr("2026-05-11T10:30")}); err == nil {
			t.Fatal("clash with VEN-B's welcome accepted")
		}
		online := w.Input("VEN-D")
		online.VenueID, online.TimeZone = "", "Asia/Tehran"
		d := w.Cohort(w.CoordIR, online)
		w.Session(w.CoordIR, d.ID, "2026-05-11T09:30", "2026-05-11T10:30", "Remote", "101")
		_, err = w.Cohorts.Update(w.Ctx, w.CoordIR, d.ID, cohort.CohortPatch{VenueID: ptr(w.Tehran.ID)})
		apperrtest.WantCode(t, err, cohort.CodeVenueConflict)
		if err := w.Cohorts.DeleteSession(w.Ctx, w.CoordIR, c2.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.Cohorts.DeleteSession(w.Ctx, w.CoordIR, c2.ID); err == nil {
			t.Fatal("deleted twice")
		}
	})
}

func TestSessionWithAttendanceStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		in := w.Input("ATT-1")
		in.Status = "open"
		c := w.Cohort(w.CoordIR, in)
		s := w.Session(w.CoordIR, c.ID, "2026-05-11T09:00", "2026-05-11T12:00", "Recorded", "")
		trainee := w.Person("attendee", w.IR, access.Trainee)
		w.Attend(w.CoordIR, s, "present", w.Enroll(c.ID, trainee, "enrolled"))
		e := apperrtest.WantCode(t, w.Cohorts.DeleteSession(w.Ctx, w.CoordIR, s.ID), cohort.CodeSessionHasAttendance)
		if e.Args["Count"] != int64(1) {
			t.Fatalf("args %v", e.Args)
		}
	})
}
