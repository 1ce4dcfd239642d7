package cohort_test

import (
	"muster/internal/apperr/apperrtest"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

func ptr[T any](v T) *T { return &v }

func TestStatusTransitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		seats := &cohorttest.SeatLog{}
		w.Cohorts.Seats = seats
		cases := []struct {
			path []string // statuses to move through; the last may fail
			code string   // the last move's refusal, "" for none
			key  string
		}{
			{[]string{"open", "in_progress"}, "", ""},
			{[]string{"in_progress"}, cohort.CodeStatusTransition, cohort.KeyTransition},
			{[]string{"open", "draft"}, cohort.CodeStatusTransition, cohort.KeyTransition},
			{[]string{"open", "in_progress", "open"}, cohort.CodeStatusTransition, cohort.KeyTransition},
			{[]string{"completed"}, cohort.CodeStatusTransition, cohort.KeyCompleteElsewhere},
			{[]string{"open", "in_progress", "completed"}, cohort.CodeStatusTransition, cohort.KeyCompleteElsewhere},
			{[]string{"cancelled"}, "", ""},
			{[]string{"open", "cancelled"}, "", ""},
			{[]string{"open", "in_progress", "cancelled"}, "", ""},
			{[]string{"cancelled", "open"}, cohort.CodeNotEditable, ""},
			{[]string{"archived"}, apperr.CodeInvalid, ""},
		}
		for i, tc := range cases {
			c := w.Cohort(w.CoordIR, w.Input("ST-"+string(rune('A'+i))))
			var err error
			for _, to := range tc.path {
				if err != nil {
					t.Fatalf("%v: stopped early: %v", tc.path, err)
				}
				_, err = w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{Status: ptr(to)})
			}
			if tc.code == "" {
				if err != nil {
					t.Errorf("%v: %v", tc.path, err)
				}
				continue
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.code || (tc.key != "" && e.MessageKey() != tc.key) {
				t.Errorf("%v: want %s %s, got %v", tc.path, tc.code, tc.key, err)
			}
		}
		if len(seats.Cancelled) != 4 {
			t.Fatalf("seat watcher heard of %d cancellations, want 4", len(seats.Cancelled))
		}
		var cancelled cohort.Cohort
		if err := gdb.Where("id = ?", seats.Cancelled[0]).Take(&cancelled).Error; err != nil || cancelled.CancelledAt == nil {
			t.Fatalf("cancelled_at not set: %+v %v", cancelled, err)
		}
	})
}

func TestUpdateRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		c := w.Cohort(w.CoordIR, w.Input("UP-1"))
		// Another agency's coordinator sees a draft as missing, an open cohort as forbidden.
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordTJ, c.ID, cohort.CohortPatch{Capacity: ptr(10)}); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("other agency, draft: %v", err)
		}
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{Status: ptr("open")}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordTJ, c.ID, cohort.CohortPatch{Capacity: ptr(10)}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("other agency, open: %v", err)
		}
		_, err := w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{EndsOn: ptr("2026-05-01")})
		apperrtest.WantField(t, err, "ends_on", cohort.KeyEndsBeforeStart)
		_, err = w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{Course: ptr("BS-101"), Language: ptr("ru")})
		apperrtest.WantField(t, err, "course", cohort.KeyCourseLocked)
		// A session on the last day keeps the cohort from ending earlier.
		w.Session(w.CoordIR, c.ID, "2026-05-14T09:00", "2026-05-14T12:00", "Final exercise", "101")
		_, err = w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{EndsOn: ptr("2026-05-13")})
		if e := apperrtest.WantCode(t, err, cohort.CodeSessionsOutsideDates); e.Args["Count"] != 1 {
			t.Fatalf("args %v", e.Args)
		}
		// Moving an in-person cohort online keeps its zone and sessions.
		got, err := w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{VenueID: ptr(""), Capacity: ptr(100)})
		if err != nil || got.VenueID != nil || got.Capacity != 100 || got.TimeZone != "Asia/Tehran" {
			t.Fatalf("online: %+v %v", got, err)
		}
		// Changing the zone moves the day boundaries: the 09:00 Tehran session
		// (05:30 UTC) is still on the 14th in Dushanbe.
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{TimeZone: ptr("Asia/Dushanbe")}); err != nil {
			t.Fatal(err)
		}
		// Completed or cancelled: nothing changes any more.
		if _, err := w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{Status: ptr("cancelled")}); err != nil {
			t.Fatal(err)
		}
		_, err = w.Cohorts.Update(w.Ctx, w.CoordIR, c.ID, cohort.CohortPatch{Capacity: ptr(30)})
		apperrtest.WantCode(t, err, cohort.CodeNotEditable)
		var n int64
		gdb.Table("audit_events").Where("subject_id = ?", c.ID).Count(&n)
		if n < 5 {
			t.Fatalf("%d audit events", n)
		}
	})
}

func TestVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		draft := w.Cohort(w.CoordIR, w.Input("VIS-DRAFT"))
		in := w.Input("VIS-OPEN")
		in.Status = "open"
		open := w.Cohort(w.CoordIR, in)
		trainee := w.Person("trainee-tj", w.TJ, access.Trainee)
		anon := access.Anonymous("192.0.2.1")
		for _, a := range []access.Actor{w.CoordTJ, trainee, anon} {
			if _, err := w.Cohorts.Get(w.Ctx, a, draft.ID); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Fatalf("%s sees the draft: %v", a.Name, err)
			}
			if _, err := w.Cohorts.Get(w.Ctx, a, open.ID); err != nil {
				t.Fatalf("%s cannot see the open cohort: %v", a.Name, err)
			}
		}
		for _, a := range []access.Actor{w.CoordIR, w.Admin} {
			if _, err := w.Cohorts.Get(w.Ctx, a, draft.ID); err != nil {
				t.Fatalf("%s cannot see the draft: %v", a.Name, err)
			}
		}
		if _, err := w.Cohorts.Get(w.Ctx, anon, "not-an-id"); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("malformed id: %v", err)
		}
	})
}
