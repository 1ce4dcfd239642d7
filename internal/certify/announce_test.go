package certify_test

import (
	"errors"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
)

// announcements records what certify announces, or refuses with err.
type announcements struct {
	revoked []string // number and holder's agency
	err     error
}

func (a *announcements) CertificateIssued(*gorm.DB, certify.Certificate, string) error { return a.err }

func (a *announcements) CertificateRevoked(_ *gorm.DB, c certify.Certificate, holderAgency string) error {
	if a.err != nil {
		return a.err
	}
	if c.RevokedAt == nil {
		return errors.New("announced without its revocation time")
	}
	a.revoked = append(a.revoked, c.Number+" "+holderAgency)
	return nil
}

// TestRevocationIsAnnouncedInItsTransaction: the announcer (webhooks) hears
// of a revocation with the holder's agency, and when it fails the
// revocation does not happen.
func TestRevocationIsAnnouncedInItsTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Holder", access.Trainee)
		cert := w.certificate(holder, w.course(0, 0, 12), day("2026-01-10"), ptr(day("2027-01-10")))
		failing := &announcements{err: errors.New("queue unavailable")}
		w.svc.Announcer = failing
		if _, err := w.svc.Revoke(ctx(), w.coord, cert.Number, certify.RevokeInput{Reason: "Exam fraud"}); err == nil {
			t.Fatal("revoked although the announcement failed")
		}
		var c certify.Certificate
		if err := gdb.Where("id = ?", cert.ID).Take(&c).Error; err != nil || c.RevokedAt != nil {
			t.Fatalf("a failed announcement left the certificate revoked: %v %v", c.RevokedAt, err)
		}
		heard := &announcements{}
		w.svc.Announcer = heard
		if _, err := w.svc.Revoke(ctx(), w.coord, cert.Number, certify.RevokeInput{Reason: "Exam fraud"}); err != nil {
			t.Fatal(err)
		}
		if len(heard.revoked) != 1 || heard.revoked[0] != cert.Number+" "+w.guest {
			t.Errorf("announced %v, want [%s %s]", heard.revoked, cert.Number, w.guest)
		}
	})
}
