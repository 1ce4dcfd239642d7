package certify_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/calendar"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
)

func TestRevoke(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Holder", access.Trainee)
		cert := w.certificate(holder, w.course(0, 0, 12), day("2026-01-10"), ptr(day("2027-01-10")))
		guestHR := w.actor(w.user(w.guest, "Guest hr", access.HR))
		stranger := w.actor(w.user(w.agency("KZ"), "Stranger coordinator", access.Coordinator))
		cases := []struct {
			who  access.Actor
			code string
		}{
			{guestHR, apperr.CodeForbidden},                      // sees it (holder's agency) but did not issue it
			{w.actor(holder), apperr.CodeForbidden},              // the holder sees it too
			{stranger, apperr.CodeNotFound},                      // sees nothing of it
			{access.Anonymous("192.0.2.1"), apperr.CodeNotFound}, // nor does an anonymous caller
			{w.coord, apperr.CodeInvalid},                        // may revoke, but a reason is needed
		}
		for _, c := range cases {
			if _, err := w.svc.Revoke(ctx(), c.who, cert.Number, certify.RevokeInput{Reason: "  "}); apperr.CodeOf(err) != c.code {
				t.Errorf("%v: %v, want %s", c.who.Roles, err, c.code)
			}
		}
		d, err := w.svc.Revoke(ctx(), w.coord, strings.ToLower(cert.Number), certify.RevokeInput{Reason: "Exam fraud found by the inquiry"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != certify.StatusRevoked || d.RevokeReason != "Exam fraud found by the inquiry" || d.RevokedAt == nil {
			t.Fatalf("after revocation: %+v", d.CertificateView)
		}
		if _, err := w.svc.Revoke(ctx(), w.admin, cert.Number, certify.RevokeInput{Reason: "again"}); apperr.CodeOf(err) != certify.CodeAlreadyRevoked {
			t.Fatalf("second revocation: %v", err)
		}
		var ev audit.Event
		if err := gdb.Where("action = ? AND subject_id = ?", "certificate.revoke", cert.ID).Take(&ev).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ev.Details, "Exam fraud") || ev.ActorID == nil || *ev.ActorID != w.coord.UserID {
			t.Fatalf("audit event %+v", ev)
		}
		// The verification says revoked, without the internal reason.
		v, err := w.svc.Verify(ctx(), cert.VerificationCode)
		if err != nil || v.Status != certify.StatusRevoked || v.RevokeReason != "" {
			t.Fatalf("verification %+v %v", v, err)
		}
		// A reason marked public is shown.
		other := w.certificate(holder, w.course(0, 0, 0), day("2026-01-10"), nil)
		if _, err := w.svc.Revoke(ctx(), w.admin, other.Number, certify.RevokeInput{Reason: "Issued in error", Public: true}); err != nil {
			t.Fatal(err)
		}
		if v, _ := w.svc.Verify(ctx(), other.VerificationCode); v.RevokeReason != "Issued in error" {
			t.Fatalf("public reason not shown: %+v", v)
		}
	})
}

// TestVerificationPrivacy checks the public answer names the certificate and
// its holder and says nothing else about the person.
func TestVerificationPrivacy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Zarina Rahimova", access.Trainee)
		w.patch(holder, identity.UserPatch{Rank: ptr("Captain"), FullNameLatin: ptr("Zarina Rahimova")})
		cert := w.certificate(holder, w.course(0, 0, 12), day("2026-01-10"), ptr(day("2027-01-10")))
		v, err := w.svc.Verify(ctx(), cert.VerificationCode)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		// The agencies are named: a checker at a border needs to know who issued it and for whom.
		allowed := []string{"number", "holder_name", "holder_name_latin", "holder_agency", "holder_agency_country",
			"issuing_agency", "issuing_agency_country", "course_code", "course_title", "issued_on", "expires_on", "status"}
		for k := range m {
			if !slices.Contains(allowed, k) {
				t.Errorf("verification carries %q", k)
			}
		}
		for _, secret := range []string{holder.Email, holder.ServiceNumber, holder.ID, holder.AgencyID, w.host, "Captain", cert.VerificationCode, cert.ID} {
			if strings.Contains(string(b), secret) {
				t.Errorf("verification reveals %q: %s", secret, b)
			}
		}
		if m["status"] != "valid" || m["issued_on"] != "2026-01-10" || m["expires_on"] != "2027-01-10" || m["number"] != cert.Number {
			t.Fatalf("verification %s", b)
		}
		if m["issuing_agency_country"] != "IR" || m["holder_agency_country"] != "TJ" {
			t.Errorf("agencies: %s", b)
		}
		// By number, typed with Persian digits in lower case: the same answer.
		byNumber, err := w.svc.VerifyNumber(ctx(), strings.ToLower(calendar.PersianDigits(cert.Number)))
		if err != nil {
			t.Fatal(err)
		}
		if nb, _ := json.Marshal(byNumber); string(nb) != string(b) {
			t.Errorf("by number %s, by code %s", nb, b)
		}
		if _, err := w.svc.VerifyNumber(ctx(), "TST-1999-000001"); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("unknown number: %v", err)
		}
		for _, bad := range []string{"", "TST-2026-1", "T-2026-000001", "TST-2026-000001-1"} {
			if _, err := w.svc.VerifyNumber(ctx(), bad); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("number %q: %v", bad, err)
			}
		}
		// Expired on its expiry day, with the injected clock.
		w.clock.Set(day("2027-01-10"))
		if v, _ := w.svc.Verify(ctx(), cert.VerificationCode); v.Status != certify.StatusExpired {
			t.Fatalf("on the expiry day: %s", v.Status)
		}
		for _, code := range []string{"", "short", strings.Repeat("A", 22), cert.VerificationCode + "x", "../../etc/passwd"} {
			if _, err := w.svc.Verify(ctx(), code); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("code %q: %v", code, err)
			}
		}
	})
}
