package roster_test

import (
	"muster/internal/apperr/apperrtest"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
)

// TestOverlapAcrossTimeZones: overlap is computed on instants. Tehran is
// UTC+3:30 and Dushanbe UTC+5, so the same wall-clock hour does not clash
// but a real overlap across the two zones does.
func TestOverlapAcrossTimeZones(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		teh := w.online(w.CoordIR, "TZ-TEH", "CN-101", "fa", "Asia/Tehran", "2026-05-10", "2026-05-14")
		dyu := w.online(w.CoordTJ, "TZ-DYU", "BS-101", "ru", "Asia/Dushanbe", "2026-05-10", "2026-05-14")
		ins := w.instructor("karimi", w.IR, "CN-101", "BS-101")
		tehran9 := w.Session(w.CoordIR, teh.ID, "2026-05-11T09:00", "2026-05-11T10:00", "Legal framework", "1") // 05:30-06:30Z
		if err := w.assign(w.CoordIR, tehran9.ID, ins, roster.RoleLead); err != nil {
			t.Fatal(err)
		}
		dushanbe9 := w.Session(w.CoordTJ, dyu.ID, "2026-05-11T09:00", "2026-05-11T10:00", "Same hour", "1") // 04:00-05:00Z
		if err := w.assign(w.CoordTJ, dushanbe9.ID, ins, roster.RoleLead); err != nil {
			t.Fatalf("same wall-clock hour in two zones is not a clash: %v", err)
		}
		dushanbe10 := w.Session(w.CoordTJ, dyu.ID, "2026-05-11T10:00", "2026-05-11T11:00", "Real overlap", "2") // 05:00-06:00Z
		e := apperrtest.WantCode(t, w.assign(w.CoordTJ, dushanbe10.ID, ins, roster.RoleLead), roster.CodeInstructorConflict)
		ref, _ := e.Details["session"].(cohort.SessionRef)
		// The clash is named, its times shown in the zone of the cohort being
		// scheduled: 09:00 in Tehran is 10:30 in Dushanbe.
		if ref.SessionID != tehran9.ID || e.Args["Cohort"] != "TZ-TEH" || e.Args["Start"] != "2026-05-11 10:30" || e.Args["Zone"] != "Asia/Dushanbe" {
			t.Fatalf("clash %+v args %v", ref, e.Args)
		}
		// Right after the Tehran session ends (06:30Z = 11:30 Dushanbe): free.
		after := w.Session(w.CoordTJ, dyu.ID, "2026-05-11T11:30", "2026-05-11T12:30", "Back to back", "3")
		if err := w.assign(w.CoordTJ, after.ID, ins, roster.RoleAssistant); err != nil {
			t.Fatal(err)
		}
	})
}

// TestOverlapAcrossDaylightSaving: on 25 October 2026 Berlin's clocks go
// back from 03:00 CEST to 02:00 CET, so 01:00-03:00 local lasts three hours
// (23:00Z to 02:00Z). A Dushanbe session at 06:30 (01:30Z) falls inside it;
// a fixed offset would have missed it.
func TestOverlapAcrossDaylightSaving(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		ber := w.online(w.CoordIR, "DST-BER", "CN-101", "en", "Europe/Berlin", "2026-10-24", "2026-10-26")
		dyu := w.online(w.CoordTJ, "DST-DYU", "BS-101", "en", "Asia/Dushanbe", "2026-10-25", "2026-10-26")
		ins := w.instructor("qodirov", w.TJ, "CN-101", "BS-101")
		night := w.Session(w.CoordIR, ber.ID, "2026-10-25T01:00", "2026-10-25T03:00", "Night exercise", "")
		if got := night.EndsAt.Sub(night.StartsAt).Hours(); got != 3 {
			t.Fatalf("the night lasts %v hours", got)
		}
		if err := w.assign(w.CoordIR, night.ID, ins, roster.RoleLead); err != nil {
			t.Fatal(err)
		}
		inside := w.Session(w.CoordTJ, dyu.ID, "2026-10-25T06:30", "2026-10-25T07:00", "Briefing", "")
		apperrtest.WantCode(t, w.assign(w.CoordTJ, inside.ID, ins, roster.RoleLead), roster.CodeInstructorConflict)
		after := w.Session(w.CoordTJ, dyu.ID, "2026-10-25T07:00", "2026-10-25T08:00", "Debriefing", "")
		if err := w.assign(w.CoordTJ, after.ID, ins, roster.RoleLead); err != nil {
			t.Fatalf("02:00Z onwards is free: %v", err)
		}
	})
}

func TestAssignRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		in := w.Input("AS-1")
		in.Status = "open"
		c := w.Cohort(w.CoordIR, in) // Tehran venue, CN-101
		s1 := w.Session(w.CoordIR, c.ID, "2026-05-11T09:00", "2026-05-11T12:00", "Morning", "101")
		s2 := w.Session(w.CoordIR, c.ID, "2026-05-13T09:00", "2026-05-13T12:00", "Wednesday", "101")
		lead := w.instructor("lead", w.IR, "CN-101")
		other := w.instructor("other", w.TJ, "CN-101")
		if err := w.assign(w.CoordIR, s1.ID, lead, roster.RoleLead); err != nil {
			t.Fatal(err)
		}
		apperrtest.WantCode(t, w.assign(w.CoordIR, s1.ID, lead, roster.RoleAssistant), roster.CodeAlreadyAssigned)
		apperrtest.WantCode(t, w.assign(w.CoordIR, s1.ID, other, roster.RoleLead), roster.CodeLeadTaken)
		if err := w.assign(w.CoordIR, s1.ID, other, roster.RoleAssistant); err != nil {
			t.Fatal(err)
		}
		// Unavailable: the period is named.
		if _, err := w.Roster.AddUnavailability(w.Ctx, other, other.UserID, roster.UnavailabilityInput{
			StartsAt: "2026-05-13T00:00:00+05:00", EndsAt: "2026-05-14T00:00:00+05:00", Reason: "Court hearing"}); err != nil {
			t.Fatal(err)
		}
		e := apperrtest.WantCode(t, w.assign(w.CoordIR, s2.ID, other, roster.RoleLead), roster.CodeUnavailable)
		if e.Args["Reason"] != "Court hearing" || e.Args["Start"] != "2026-05-12 22:30" {
			t.Fatalf("args %v", e.Args)
		}
		// Not qualified: no qualification, or one that expired before the day.
		novice := w.instructor("novice", w.IR, "BS-101")
		e = apperrtest.WantCode(t, w.assign(w.CoordIR, s2.ID, novice, roster.RoleLead), roster.CodeNotQualified)
		if e.Args["Course"] != "CN-101" || e.Args["Day"] != "2026-05-13" {
			t.Fatalf("args %v", e.Args)
		}
		if _, err := w.Roster.SetQualifications(w.Ctx, w.CoordIR, novice.UserID, roster.QualificationsInput{
			Qualifications: []roster.QualificationInput{{Course: "cn-101", ExpiresOn: "2026-05-12"}}}); err != nil {
			t.Fatal(err)
		}
		e = apperrtest.WantCode(t, w.assign(w.CoordIR, s2.ID, novice, roster.RoleLead), roster.CodeNotQualified)
		if e.Args["Expired"] != "2026-05-12" {
			t.Fatalf("args %v", e.Args)
		}
		// Still qualified on the 11th.
		if err := w.assign(w.CoordIR, s1.ID, novice, roster.RoleAssistant); err != nil {
			t.Fatal(err)
		}
		// A clash at the venue left in the data (written around the rules) is named too.
		clash := "0193a3c0-0000-7000-8000-0000000000aa"
		if err := gdb.Exec(`INSERT INTO cohort_sessions (id, cohort_id, starts_at, ends_at, topic, room, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'Squatter', '101', ?, ?)`, clash, c.ID, s2.StartsAt.Add(time.Hour), s2.EndsAt, s2.StartsAt, s2.StartsAt).Error; err != nil {
			t.Fatal(err)
		}
		e = apperrtest.WantCode(t, w.assign(w.CoordIR, s2.ID, lead, roster.RoleLead), cohort.CodeVenueConflict)
		if ref, _ := e.Details["session"].(cohort.SessionRef); ref.SessionID != clash {
			t.Fatalf("venue clash names %+v", e.Details)
		}
		// Who may assign, and whom.
		trainee := w.Person("trainee", w.IR, access.Trainee)
		if err := w.assign(w.CoordTJ, s1.ID, other, roster.RoleAssistant); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("other agency's coordinator: %v", err)
		}
		if err := w.assign(w.CoordIR, s2.ID, trainee, roster.RoleAssistant); apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Fatalf("a trainee as instructor: %v", err)
		}
		if err := w.assign(w.CoordIR, "0193a3c0-0000-7000-8000-000000000000", lead, roster.RoleLead); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("no such session: %v", err)
		}
		if err := w.Roster.Unassign(w.Ctx, w.CoordIR, s1.ID, novice.UserID); err != nil {
			t.Fatal(err)
		}
		if err := w.Roster.Unassign(w.Ctx, w.CoordIR, s1.ID, novice.UserID); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("unassigned twice: %v", err)
		}
		if ok, err := w.Roster.IsTeaching(w.Ctx, lead.UserID, c.ID); !ok || err != nil {
			t.Fatalf("lead is teaching: %v %v", ok, err)
		}
		if ok, _ := w.Roster.IsTeaching(w.Ctx, novice.UserID, c.ID); ok {
			t.Fatal("novice was unassigned")
		}
	})
}

// TestMovingASessionChecksItsInstructors: the schedule watcher refuses a
// move that would double-book an assigned instructor.
func TestMovingASessionChecksItsInstructors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		a := w.online(w.CoordIR, "MV-A", "CN-101", "fa", "Asia/Tehran", "2026-05-10", "2026-05-14")
		b := w.online(w.CoordTJ, "MV-B", "BS-101", "ru", "Asia/Dushanbe", "2026-05-10", "2026-05-14")
		ins := w.instructor("mover", w.IR, "CN-101", "BS-101")
		sa := w.Session(w.CoordIR, a.ID, "2026-05-11T09:00", "2026-05-11T10:00", "A", "")
		sb := w.Session(w.CoordTJ, b.ID, "2026-05-12T09:00", "2026-05-12T10:00", "B", "")
		for _, s := range []*cohort.Session{sa, sb} {
			c := w.CoordIR
			if s == sb {
				c = w.CoordTJ
			}
			if err := w.assign(c, s.ID, ins, roster.RoleLead); err != nil {
				t.Fatal(err)
			}
		}
		// B moved to 10:30 Dushanbe on the 11th = 09:00 Tehran: a clash.
		_, err := w.Cohorts.UpdateSession(w.Ctx, w.CoordTJ, sb.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T10:30"), EndsAt: ptr("2026-05-11T11:00")})
		apperrtest.WantCode(t, err, roster.CodeInstructorConflict)
		// Moved to 11:00 Dushanbe = 09:30 Tehran... still inside A (until 10:00 Tehran).
		_, err = w.Cohorts.UpdateSession(w.Ctx, w.CoordTJ, sb.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T11:00"), EndsAt: ptr("2026-05-11T11:30")})
		apperrtest.WantCode(t, err, roster.CodeInstructorConflict)
		// 11:30 Dushanbe = 10:00 Tehran: free, and the assignment follows the session.
		moved, err := w.Cohorts.UpdateSession(w.Ctx, w.CoordTJ, sb.ID, cohort.SessionPatch{StartsAt: ptr("2026-05-11T11:30"), EndsAt: ptr("2026-05-11T12:30")})
		if err != nil {
			t.Fatal(err)
		}
		var as roster.Assignment
		if err := gdb.Where("session_id = ?", sb.ID).Take(&as).Error; err != nil || !as.StartsAt.Equal(moved.StartsAt) {
			t.Fatalf("assignment kept old instants: %+v %v", as, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
