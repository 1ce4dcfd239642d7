package certify_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
)

// TestValidCertificateIgnoresExpiredAndRevoked is the prerequisite rule:
// only a certificate valid on the day satisfies a prerequisite.
func TestValidCertificateIgnoresExpiredAndRevoked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		u := w.user(w.guest, "Holder", access.Trainee)
		forever, expiring, revoked, renewed := w.course(0, 0, 0), w.course(0, 0, 12), w.course(0, 0, 12), w.course(0, 0, 12)
		w.certificate(u, forever, day("2020-01-01"), nil)
		w.certificate(u, expiring, day("2025-06-30"), ptr(day("2026-06-30")))
		rv := w.certificate(u, revoked, day("2026-01-01"), ptr(day("2027-01-01")))
		if _, err := w.svc.Revoke(ctx(), w.coord, rv.Number, certify.RevokeInput{Reason: "fraud"}); err != nil {
			t.Fatal(err)
		}
		// An expired certificate beside a valid renewal: the course is held.
		w.certificate(u, renewed, day("2024-01-01"), ptr(day("2025-01-01")))
		w.certificate(u, renewed, day("2025-01-01"), ptr(day("2026-09-01")))
		someoneElse := w.user(w.guest, "Other", access.Trainee)
		w.certificate(someoneElse, revoked, day("2026-01-01"), nil)

		check := func(on string, want ...string) {
			t.Helper()
			w.clock.Set(day(on).Add(13 * time.Hour))
			held := map[string]bool{}
			for _, course := range []string{forever.ID, expiring.ID, revoked.ID, renewed.ID} {
				c, err := certify.ValidCertificate(gdb, u.ID, course, w.clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				if c != nil {
					held[course] = true
				}
			}
			if len(held) != len(want) {
				t.Fatalf("on %s: held %v, want %v", on, held, want)
			}
			for _, id := range want {
				if !held[id] {
					t.Fatalf("on %s: %s not held (%v)", on, id, held)
				}
			}
		}
		check("2026-03-10", forever.ID, expiring.ID, renewed.ID)
		check("2026-06-29", forever.ID, expiring.ID, renewed.ID) // last valid day
		check("2026-06-30", forever.ID, renewed.ID)              // expires_on is the first day it no longer holds
		check("2026-09-01", forever.ID)
		if c, err := certify.ValidCertificate(gdb, "not-an-id", forever.ID, w.clock.Now()); c != nil || err != nil {
			t.Fatalf("malformed user id holds %v (%v)", c, err)
		}
	})
}

// TestValidCertificateHonoursTheWindow is the already_certified rule asked
// as enrollment asks it: valid still at the end of the recertification window.
func TestValidCertificateHonoursTheWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb) // today 2026-03-10, window 90 days: up to 2026-06-08
		u := w.user(w.guest, "Holder", access.Trainee)
		inWindow, beyond, never, revoked := w.course(0, 0, 12), w.course(0, 0, 12), w.course(0, 0, 0), w.course(0, 0, 12)
		w.certificate(u, inWindow, day("2025-06-08"), ptr(day("2026-06-08")))
		w.certificate(u, beyond, day("2025-06-09"), ptr(day("2026-06-09")))
		w.certificate(u, never, day("2025-01-01"), nil)
		rv := w.certificate(u, revoked, day("2026-01-01"), ptr(day("2028-01-01")))
		gdb.Model(&certify.Certificate{}).Where("id = ?", rv.ID).Update("revoked_at", w.clock.Now())
		for course, want := range map[string]bool{inWindow.ID: false, beyond.ID: true, never.ID: true, revoked.ID: false, w.course(0, 0, 1).ID: false} {
			c, err := certify.ValidCertificate(gdb, u.ID, course, w.clock.Now().AddDate(0, 0, 90))
			if got := c != nil; err != nil || got != want {
				t.Errorf("course %s: %v %v, want %v", course, c, err, want)
			}
		}
	})
}
