package roster_test

import (
	"slices"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
)

func TestRosterSearch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		busy := w.instructor("a-busy", w.IR, "CN-101")
		away := w.instructor("b-away", w.TJ, "CN-101")
		free := w.instructor("c-free", w.TJ, "CN-101", "BS-101")
		lapsed := w.Person("d-lapsed", w.IR, access.Instructor)
		if _, err := w.Roster.SetQualifications(w.Ctx, w.Admin, lapsed.UserID, roster.QualificationsInput{
			Qualifications: []roster.QualificationInput{{Course: "CN-101", ExpiresOn: "2026-05-01"}}}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			who   access.Actor
			langs []string
		}{{busy, []string{"fa", "en"}}, {away, []string{"tg", "ru"}}, {free, []string{"tg", "fa"}}} {
			if _, err := w.Roster.UpdateProfile(w.Ctx, p.who, p.who.UserID, roster.ProfileInput{Languages: &p.langs}); err != nil {
				t.Fatal(err)
			}
		}
		c := w.online(w.CoordIR, "SR-1", "CN-101", "fa", "Asia/Tehran", "2026-05-10", "2026-05-14")
		s := w.Session(w.CoordIR, c.ID, "2026-05-11T09:00", "2026-05-11T12:00", "Busy", "")
		if err := w.assign(w.CoordIR, s.ID, busy, roster.RoleLead); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Roster.AddUnavailability(w.Ctx, w.CoordTJ, away.UserID, roster.UnavailabilityInput{StartsAt: "2026-05-10", EndsAt: "2026-05-12", TimeZone: "Asia/Dushanbe"}); err == nil {
			t.Fatal("a day is not an instant")
		}
		if _, err := w.Roster.AddUnavailability(w.Ctx, w.CoordTJ, away.UserID, roster.UnavailabilityInput{StartsAt: "2026-05-10T00:00", EndsAt: "2026-05-12T00:00", TimeZone: "Asia/Dushanbe"}); err != nil {
			t.Fatal(err)
		}
		names := func(q roster.Query) []string {
			t.Helper()
			page, err := w.Roster.Search(w.Ctx, w.CoordIR, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			out := []string{}
			for _, s := range page.Items {
				out = append(out, s.FullName[len("Person "):])
			}
			return out
		}
		for _, tc := range []struct {
			q    roster.Query
			want []string
		}{
			{roster.Query{}, []string{"a-busy", "b-away", "c-free", "d-lapsed"}},
			{roster.Query{Course: "cn-101"}, []string{"a-busy", "b-away", "c-free", "d-lapsed"}},
			// Qualified through the period: d-lapsed's expired on 1 May.
			{roster.Query{Course: "CN-101", FreeFrom: "2026-05-12", FreeTo: "2026-05-12"}, []string{"a-busy", "b-away", "c-free"}},
			{roster.Query{Course: "BS-101"}, []string{"c-free"}},
			{roster.Query{Language: "fa"}, []string{"a-busy", "c-free"}},
			{roster.Query{Course: "CN-101", FreeFrom: "2026-05-11T05:00:00Z", FreeTo: "2026-05-11T06:00:00Z"}, []string{"c-free"}},
			{roster.Query{FreeFrom: "2026-05-12", FreeTo: "2026-05-12"}, []string{"a-busy", "b-away", "c-free", "d-lapsed"}},
			{roster.Query{Agency: w.TJ}, []string{"b-away", "c-free"}},
		} {
			if got := names(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
			}
		}
		for _, q := range []roster.Query{{Course: "XX-1"}, {FreeFrom: "2026-05-12"}, {FreeFrom: "2026-05-12", FreeTo: "2026-05-11"}, {Language: "xx"}} {
			if _, err := w.Roster.Search(w.Ctx, w.CoordIR, q); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("%+v: %v", q, err)
			}
		}
		if _, err := w.Roster.Search(w.Ctx, busy, roster.Query{}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("an instructor searches the roster: %v", err)
		}
		// Profiles: the instructor and their agency's coordinator may edit, a partner's coordinator may read.
		in, err := w.Roster.Get(w.Ctx, w.CoordIR, free.UserID)
		if err != nil || !slices.Equal(in.Languages, []string{"fa", "tg"}) || len(in.Qualifications) != 2 {
			t.Fatalf("profile %+v %v", in, err)
		}
		bio := "Instructor"
		if _, err := w.Roster.UpdateProfile(w.Ctx, w.CoordIR, free.UserID, roster.ProfileInput{Bio: &bio}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("partner edits profile: %v", err)
		}
		if _, err := w.Roster.SetQualifications(w.Ctx, free, free.UserID, roster.QualificationsInput{Qualifications: []roster.QualificationInput{}}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Fatalf("instructor qualifies themself: %v", err)
		}
		if _, err := w.Roster.Get(w.Ctx, busy, free.UserID); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("instructor reads another: %v", err)
		}
	})
}
