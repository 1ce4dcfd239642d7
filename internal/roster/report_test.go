package roster_test

import (
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
)

// TestConflictsReport: clashes that arise after assignment (unavailability
// reported, a qualification withdrawn, data written around the rules) are
// all listed, each once.
func TestConflictsReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		in := w.Input("REP-1")
		in.Status = "open"
		c := w.Cohort(w.CoordIR, in) // Tehran venue
		other := w.online(w.CoordTJ, "REP-2", "CN-101", "tg", "Asia/Dushanbe", "2026-05-10", "2026-05-14")
		s1 := w.Session(w.CoordIR, c.ID, "2026-05-11T09:00", "2026-05-11T12:00", "Morning", "101")
		s2 := w.Session(w.CoordIR, c.ID, "2026-05-12T09:00", "2026-05-12T12:00", "Tuesday", "101")
		s3 := w.Session(w.CoordTJ, other.ID, "2026-05-12T14:00", "2026-05-12T15:00", "Remote", "")
		ali := w.instructor("ali", w.IR, "CN-101")
		umed := w.instructor("umed", w.TJ, "CN-101")
		for _, a := range []struct {
			who  string
			s    string
			lead bool
		}{{"ali", s1.ID, true}, {"umed", s2.ID, true}, {"ali", s2.ID, false}} {
			ins, role := ali, roster.RoleAssistant
			if a.who == "umed" {
				ins = umed
			}
			if a.lead {
				role = roster.RoleLead
			}
			if err := w.assign(w.CoordIR, a.s, ins, role); err != nil {
				t.Fatal(err)
			}
		}
		report := func() []string {
			t.Helper()
			cs, err := w.Roster.Conflicts(w.Ctx, w.CoordIR, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, cf := range cs {
				line := cf.Kind + " " + cf.Session.Topic
				if cf.Instructor != nil {
					line += " " + cf.Instructor.FullName
				}
				if cf.Clash != nil {
					line += " / " + cf.Clash.Topic
				}
				out = append(out, line)
			}
			sort.Strings(out)
			return out
		}
		if got := report(); len(got) != 0 {
			t.Fatalf("a clean schedule reports %v", got)
		}
		// Ali reports unavailability over Monday morning; Umed loses CN-101.
		if _, err := w.Roster.AddUnavailability(w.Ctx, ali, ali.UserID, roster.UnavailabilityInput{
			StartsAt: "2026-05-11T10:00", EndsAt: "2026-05-11T11:00", TimeZone: "Asia/Tehran", Reason: "Sick"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Roster.SetQualifications(w.Ctx, w.CoordTJ, umed.UserID, roster.QualificationsInput{Qualifications: []roster.QualificationInput{}}); err != nil {
			t.Fatal(err)
		}
		// Written around the rules: the Dushanbe session moved 90 minutes
		// earlier, to 12:30-13:30 Dushanbe (11:00-12:00 Tehran), with Umed on
		// it while he teaches Tuesday 09:00-12:00 Tehran; and a second session
		// in room 101 on Tuesday morning.
		if err := gdb.Exec("UPDATE cohort_sessions SET starts_at = ?, ends_at = ? WHERE id = ?",
			s3.StartsAt.Add(-90*60e9), s3.EndsAt.Add(-90*60e9), s3.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := gdb.Exec(`INSERT INTO session_instructors (session_id, instructor_id, role, starts_at, ends_at, created_at)
			VALUES (?, ?, 'lead', ?, ?, ?)`, s3.ID, umed.UserID, s3.StartsAt.Add(-90*60e9), s3.EndsAt.Add(-90*60e9), s3.StartsAt).Error; err != nil {
			t.Fatal(err)
		}
		if err := gdb.Exec(`INSERT INTO cohort_sessions (id, cohort_id, starts_at, ends_at, topic, room, created_at, updated_at)
			VALUES ('0193a3c0-0000-7000-8000-0000000000bb', ?, ?, ?, 'Overbooked', '101', ?, ?)`, c.ID, s2.StartsAt, s2.EndsAt, s2.StartsAt, s2.StartsAt).Error; err != nil {
			t.Fatal(err)
		}
		want := []string{
			"instructor_conflict Tuesday Person umed / Remote",
			"instructor_not_qualified Tuesday Person umed",
			"instructor_unavailable Morning Person ali",
			"venue_conflict Overbooked / Tuesday",
		}
		got := report()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if _, err := w.Roster.Conflicts(w.Ctx, w.CoordTJ, c.ID); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("another agency's coordinator: %v", err)
		}
	})
}
