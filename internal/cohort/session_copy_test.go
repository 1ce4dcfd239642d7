package cohort_test

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

// TestCopySchedule: a schedule copied into another cohort lands its first
// session on the chosen day, the others the same number of days later at
// the same wall-clock times in the target's zone; a target with sessions
// is refused unless they are replaced; only a manager of both cohorts
// copies; a session that does not fit refuses the whole copy.
func TestCopySchedule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		src := w.Cohort(w.CoordIR, w.Input("COPY-SRC"))
		w.Session(w.CoordIR, src.ID, "2026-05-10T09:00", "2026-05-10T12:00", "Opening", "A")
		w.Session(w.CoordIR, src.ID, "2026-05-12T14:00", "2026-05-12T16:00", "Drill", "B")
		in := w.Input("COPY-DST")
		in.VenueID, in.TimeZone, in.StartsOn, in.EndsOn = "", "Asia/Dushanbe", "2026-06-07", "2026-06-11"
		dst := w.Cohort(w.CoordIR, in)

		got, err := w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, src.ID, dst.ID, "2026-06-07", false)
		if err != nil {
			t.Fatal(err)
		}
		if s := localDays(got, dst.TimeZone); s != "Sun 06-07 09:00, Tue 06-09 14:00" {
			t.Fatalf("copied: %s", s)
		}
		if got[1].Topic != "Drill" || got[1].Room != "B" {
			t.Errorf("copied session: %+v", got[1])
		}
		var n int64
		gdb.Table("audit_events").Where("action = ? AND subject_id = ?", cohort.ActionScheduleCopy, dst.ID).Count(&n)
		if n != 1 {
			t.Errorf("copy events: %d", n)
		}

		// Into a cohort that has sessions: refused, unless replacing them.
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, src.ID, dst.ID, "2026-06-08", false)
		apperrtest.WantCode(t, err, cohort.CodeScheduleNotEmpty)
		got, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, src.ID, dst.ID, "2026-06-08", true)
		if err != nil {
			t.Fatal(err)
		}
		if s := localDays(got, dst.TimeZone); s != "Mon 06-08 09:00, Wed 06-10 14:00" {
			t.Fatalf("replaced: %s", s)
		}
		if all, _ := w.Cohorts.Sessions(w.Ctx, dst.ID); len(all) != 2 {
			t.Fatalf("sessions after replacing: %d", len(all))
		}

		// A first day that pushes a session past the cohort's end: nothing changes.
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, src.ID, dst.ID, "2026-06-10", true)
		apperrtest.WantField(t, err, "first_day", cohort.KeyCopyDay)
		if all, _ := w.Cohorts.Sessions(w.Ctx, dst.ID); len(all) != 2 || localDays(ptrs(all), dst.TimeZone) != "Mon 06-08 09:00, Wed 06-10 14:00" {
			t.Fatalf("a refused copy changed the schedule: %s", localDays(ptrs(all), dst.TimeZone))
		}

		// Only a manager of both cohorts copies.
		tjIn := w.Input("COPY-TJ")
		tjIn.VenueID = w.Dushanbe.ID
		tj := w.Cohort(w.CoordTJ, tjIn)
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordTJ, src.ID, tj.ID, "2026-05-10", false)
		apperrtest.WantField(t, err, "from", cohort.KeyCopySource) // agency IR's draft is not there for TJ
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordTJ, tj.ID, dst.ID, "2026-06-07", true)
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, dst.ID, dst.ID, "2026-06-07", true)
		apperrtest.WantField(t, err, "from", cohort.KeyCopySource)
		_, err = w.Cohorts.CopySchedule(w.Ctx, w.CoordIR, src.ID, dst.ID, "7 June", true)
		apperrtest.WantField(t, err, "first_day", cohort.KeyDate)
	})
}

func ptrs(ss []cohort.Session) []*cohort.Session {
	out := make([]*cohort.Session, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
