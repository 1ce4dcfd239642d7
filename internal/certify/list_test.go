package certify_test

import (
	"sort"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/paging"
)

func TestListScopeAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb) // today 2026-03-10
		third := w.agency("KZ")
		hostTrainee := w.user(w.host, "Host trainee", access.Trainee)
		guestTrainee := w.user(w.guest, "Guest trainee", access.Trainee)
		thirdTrainee := w.user(third, "Third trainee", access.Trainee)
		course, other := w.course(0, 0, 12), w.course(0, 0, 12)
		hostsOwn := w.certificate(hostTrainee, course, day("2025-06-01"), ptr(day("2026-06-01"))) // valid, expiring soon
		guests := w.certificate(guestTrainee, course, day("2024-01-01"), ptr(day("2025-01-01")))  // expired
		thirds := w.certificate(thirdTrainee, other, day("2026-02-01"), nil)                      // valid, never expires
		revoked := w.certificate(guestTrainee, other, day("2026-01-01"), ptr(day("2027-01-01")))  // revoked
		if _, err := w.svc.Revoke(ctx(), w.admin, revoked.Number, certify.RevokeInput{Reason: "error"}); err != nil {
			t.Fatal(err)
		}
		// A certificate issued by another agency to the third agency's trainee.
		foreign := w.certificate(thirdTrainee, course, day("2026-02-02"), nil)
		gdb.Model(&certify.Certificate{}).Where("id = ?", foreign.ID).Update("host_agency_id", third)

		numbers := func(a access.Actor, f certify.Filter) []string {
			t.Helper()
			p, err := w.svc.List(ctx(), a, f)
			if err != nil {
				t.Fatal(err)
			}
			out := []string{}
			for _, c := range p.Items {
				out = append(out, c.Number)
			}
			sort.Strings(out)
			return out
		}
		sorted := func(n ...string) []string { sort.Strings(n); return n }
		same := func(got, want []string) bool {
			if len(got) != len(want) {
				return false
			}
			for i := range got {
				if got[i] != want[i] {
					return false
				}
			}
			return true
		}
		hostHR := w.actor(w.user(w.host, "Host hr", access.HR))
		guestHR := w.actor(w.user(w.guest, "Guest hr", access.HR))
		guestCoord := w.actor(w.user(w.guest, "Guest coordinator", access.Coordinator))
		cases := []struct {
			name string
			who  access.Actor
			f    certify.Filter
			want []string
		}{
			{"admin sees all", w.admin, certify.Filter{}, sorted(hostsOwn.Number, guests.Number, thirds.Number, revoked.Number, foreign.Number)},
			{"host coordinator: own personnel and what the agency issued", w.coord, certify.Filter{}, sorted(hostsOwn.Number, guests.Number, thirds.Number, revoked.Number)},
			{"host hr: own personnel only", hostHR, certify.Filter{}, sorted(hostsOwn.Number)},
			{"guest hr", guestHR, certify.Filter{}, sorted(guests.Number, revoked.Number)},
			{"guest coordinator", guestCoord, certify.Filter{}, sorted(guests.Number, revoked.Number)},
			{"trainee: own", w.actor(thirdTrainee), certify.Filter{}, sorted(thirds.Number, foreign.Number)},
			{"anonymous: none", access.Anonymous(""), certify.Filter{}, []string{}},
			{"status valid", w.admin, certify.Filter{Status: "valid"}, sorted(hostsOwn.Number, thirds.Number, foreign.Number)},
			{"status expired", w.admin, certify.Filter{Status: "expired"}, sorted(guests.Number)},
			{"status revoked", w.admin, certify.Filter{Status: "revoked"}, sorted(revoked.Number)},
			{"course", w.admin, certify.Filter{Course: other.Code}, sorted(thirds.Number, revoked.Number)},
			{"agency of the holder", w.admin, certify.Filter{Agency: w.guest}, sorted(guests.Number, revoked.Number)},
			{"agency outside the scope", hostHR, certify.Filter{Agency: w.guest}, []string{}},
			{"expiring before", w.admin, certify.Filter{ExpiringBefore: "2026-07-01"}, sorted(hostsOwn.Number, guests.Number)},
			{"expiring soon", w.coord, w.svc.ExpiringSoon(w.host, paging.Params{}), sorted(hostsOwn.Number)},
		}
		for _, c := range cases {
			if got := numbers(c.who, c.f); !same(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		p, err := w.svc.List(ctx(), w.admin, certify.Filter{Params: paging.Params{Page: 2, PerPage: 2}})
		if err != nil || p.Total != 5 || len(p.Items) != 2 || p.Page != 2 {
			t.Fatalf("page 2: %d items of %d, %v", len(p.Items), p.Total, err)
		}
		for _, f := range []certify.Filter{{Status: "lost"}, {ExpiringBefore: "tomorrow"}, {Agency: "x"}} {
			if _, err := w.svc.List(ctx(), w.admin, f); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("filter %+v: %v", f, err)
			}
		}
		// Get follows the same scope: out of scope is not found.
		if _, err := w.svc.Get(ctx(), hostHR, guests.Number); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("host hr reading a guest's certificate: %v", err)
		}
		if d, err := w.svc.Get(ctx(), w.actor(guestTrainee), guests.Number); err != nil || d.Status != certify.StatusExpired || d.CanRevoke {
			t.Fatalf("holder reading own: %+v %v", d, err)
		}
	})
}

func TestTranscript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Holder", access.Trainee)
		w.certificate(holder, w.course(0, 0, 12), day("2025-06-01"), ptr(day("2026-06-01")))
		tr, err := w.svc.Transcript(ctx(), w.actor(holder), holder.ID)
		if err != nil || len(tr.Entries) != 1 || len(tr.Certificates) != 1 || tr.Entries[0].Certificate != tr.Certificates[0].Number {
			t.Fatalf("transcript %+v %v", tr, err)
		}
		guestHR := w.actor(w.user(w.guest, "Guest hr", access.HR))
		if _, err := w.svc.Transcript(ctx(), guestHR, holder.ID); err != nil {
			t.Fatalf("hr of the agency: %v", err)
		}
		for _, a := range []access.Actor{w.coord, w.actor(w.user(w.guest, "Peer", access.Trainee)), access.Anonymous("")} {
			if _, err := w.svc.Transcript(ctx(), a, holder.ID); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%v: %v", a.Roles, err)
			}
		}
	})
}
