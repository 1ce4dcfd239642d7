package cohort_test

import (
	"slices"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/cohort/cohorttest"
	"muster/internal/db/dbtest"
)

func codes(p []cohort.Summary) []string {
	out := []string{}
	for _, s := range p {
		out = append(out, s.Code)
	}
	return out
}

func TestListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := cohorttest.New(t, gdb)
		mk := func(actor access.Actor, code, course, lang, venue, starts, ends, status string) *cohort.Cohort {
			in := w.Input(code)
			in.Course, in.Language, in.VenueID, in.StartsOn, in.EndsOn, in.Status = course, lang, venue, starts, ends, status
			return w.Cohort(actor, in)
		}
		mk(w.CoordIR, "L-IR-DRAFT", "CN-101", "fa", w.Tehran.ID, "2026-05-10", "2026-05-14", "")
		mk(w.CoordIR, "L-IR-MAY", "CN-101", "fa", w.Tehran.ID, "2026-05-10", "2026-05-14", "open")
		tjJune := mk(w.CoordTJ, "L-TJ-JUNE", "BS-101", "ru", w.Dushanbe.ID, "2026-06-01", "2026-06-05", "open")
		mk(w.CoordTJ, "L-TJ-DRAFT", "BS-101", "ru", w.Dushanbe.ID, "2026-06-01", "2026-06-05", "")
		irJuly := mk(w.CoordIR, "L-IR-JULY", "BS-101", "en", w.Tehran.ID, "2026-07-01", "2026-07-03", "open")
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordIR, irJuly.ID, quotas(w.IR, 10)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Cohorts.SetQuotas(w.Ctx, w.CoordTJ, tjJune.ID, quotas(w.TJ, 5, w.IR, 5)); err != nil {
			t.Fatal(err)
		}
		anon := access.Anonymous("192.0.2.1")
		cases := []struct {
			who  access.Actor
			q    cohort.Query
			want []string
		}{
			{anon, cohort.Query{}, []string{"L-IR-MAY", "L-TJ-JUNE", "L-IR-JULY"}},
			{w.CoordIR, cohort.Query{}, []string{"L-IR-DRAFT", "L-IR-MAY", "L-TJ-JUNE", "L-IR-JULY"}},
			{w.CoordIR, cohort.Query{Status: "draft"}, []string{"L-IR-DRAFT"}},
			{w.Admin, cohort.Query{Status: "draft"}, []string{"L-IR-DRAFT", "L-TJ-DRAFT"}},
			{anon, cohort.Query{Status: "draft"}, []string{}},
			{anon, cohort.Query{Course: "bs-101"}, []string{"L-TJ-JUNE", "L-IR-JULY"}},
			{anon, cohort.Query{From: "2026-05-14", To: "2026-06-01"}, []string{"L-IR-MAY", "L-TJ-JUNE"}},
			{anon, cohort.Query{From: "2026-05-15"}, []string{"L-TJ-JUNE", "L-IR-JULY"}},
			// TJ takes part in June (quota) and in May (no quotas: open to all), not in July.
			{anon, cohort.Query{Agency: w.TJ}, []string{"L-IR-MAY", "L-TJ-JUNE"}},
			{w.CoordTJ, cohort.Query{Host: w.TJ}, []string{"L-TJ-DRAFT", "L-TJ-JUNE"}},
		}
		for i, tc := range cases {
			page, err := w.Cohorts.List(w.Ctx, tc.who, tc.q)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			got := codes(page.Items)
			if !slices.Equal(got, tc.want) || page.Total != int64(len(tc.want)) {
				t.Errorf("case %d %+v as %s: %v (total %d), want %v", i, tc.q, tc.who.Name, got, page.Total, tc.want)
			}
		}
		if _, err := w.Cohorts.List(w.Ctx, anon, cohort.Query{From: "May 1"}); err == nil {
			t.Fatal("bad date accepted")
		}
		up, err := w.Cohorts.Upcoming(w.Ctx, anon, w.CourseIDs["BS-101"])
		if err != nil || !slices.Equal(codes(up), []string{"L-TJ-JUNE", "L-IR-JULY"}) {
			t.Fatalf("upcoming: %v %v", codes(up), err)
		}
		w.Clock.Set(cohorttest.Start.AddDate(0, 2, 5)) // 6 June: the June cohort has ended
		up, _ = w.Cohorts.Upcoming(w.Ctx, anon, w.CourseIDs["BS-101"])
		if !slices.Equal(codes(up), []string{"L-IR-JULY"}) {
			t.Fatalf("upcoming after June: %v", codes(up))
		}
	})
}
