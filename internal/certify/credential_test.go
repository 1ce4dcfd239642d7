package certify_test

import (
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
)

// signed is a credential as a file holds it, and the issuer's key document.
func (w *world) signed(svc *certify.Service, actor access.Actor, number string) (credential, keys []byte) {
	w.t.Helper()
	c, err := svc.Credential(ctx(), actor, number)
	if err != nil {
		w.t.Fatal(err)
	}
	d, err := svc.IssuerDocument(ctx())
	if err != nil {
		w.t.Fatal(err)
	}
	return mustJSON(w.t, c), mustJSON(w.t, d)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// paths lists every key path of a JSON document, arrays marked [].
func paths(prefix string, v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			*out = append(*out, prefix+k)
			paths(prefix+k+".", e, out)
		}
	case []any:
		for _, e := range x {
			paths(strings.TrimSuffix(prefix, ".")+"[].", e, out)
		}
	}
}

// TestCredentialCarriesPublicFacts checks the credential says exactly what
// the verification page says, in Open Badges 3.0 terms, and nothing private;
// that it verifies against the published key; and that any change breaks it.
func TestCredentialCarriesPublicFacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Зарина Рахимова", access.Trainee)
		w.patch(holder, identity.UserPatch{Rank: ptr("Captain"), FullNameLatin: ptr("Zarina Rahimova")})
		course := w.course(0, 0, 12)
		course = w.tw.UpdateCourse(w.coord, course, catalog.CoursePatch{Summary: ptr("Finding drugs at border crossings")})
		cert := w.certificate(holder, course, day("2026-01-10"), ptr(day("2027-01-10")))
		gdb.Model(cert).Update("holder_name_latin", "Zarina Rahimova")
		var hostName string
		gdb.Table("agencies").Where("id = ?", w.host).Pluck("name", &hostName)

		raw, keys := w.signed(w.svc, w.actor(holder), cert.Number)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		var got []string
		paths("", m, &got)
		sort.Strings(got)
		want := []string{"@context", "credentialStatus", "credentialStatus.id", "credentialStatus.statusListCredential", "credentialStatus.statusListIndex",
			"credentialStatus.statusPurpose", "credentialStatus.type", "credentialSubject", "credentialSubject.achievement",
			"credentialSubject.achievement.achievementType", "credentialSubject.achievement.criteria", "credentialSubject.achievement.criteria.narrative",
			"credentialSubject.achievement.description", "credentialSubject.achievement.humanCode", "credentialSubject.achievement.id",
			"credentialSubject.achievement.name", "credentialSubject.achievement.type", "credentialSubject.identifier",
			"credentialSubject.identifier[].hashed", "credentialSubject.identifier[].identityHash", "credentialSubject.identifier[].identityType",
			"credentialSubject.identifier[].type", "credentialSubject.name", "credentialSubject.type", "description", "id", "issuer", "issuer.id",
			"issuer.name", "issuer.type", "name", "proof", "proof.@context", "proof.created", "proof.cryptosuite", "proof.proofPurpose",
			"proof.proofValue", "proof.type", "proof.verificationMethod", "type", "validFrom", "validUntil"}
		if !slices.Equal(slices.Compact(got), want) {
			t.Errorf("credential fields\n got %q\nwant %q", slices.Compact(got), want)
		}

		var c certify.Credential
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		s, a := c.CredentialSubject, c.CredentialSubject.Achievement
		checks := []struct{ name, got, want string }{
			{"id", c.ID, w.svc.VerificationURL(cert.VerificationCode)},
			{"type", strings.Join(c.Type, ","), "VerifiableCredential,OpenBadgeCredential"},
			{"context", strings.Join(c.Context, " "), "https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
			{"issuer", c.Issuer.ID + " " + c.Issuer.Name + " " + strings.Join(c.Issuer.Type, ","), "did:web:muster.example muster Profile"},
			{"validFrom", c.ValidFrom, "2026-01-10T00:00:00Z"},
			{"validUntil", c.ValidUntil, "2027-01-10T00:00:00Z"},
			{"holder", s.Name, "Зарина Рахимова (Zarina Rahimova)"},
			{"identifiers", s.Identifier[0].IdentityHash + "|" + s.Identifier[1].IdentityHash + "|" + s.Identifier[0].IdentityType, "Зарина Рахимова|Zarina Rahimova|name"},
			{"achievement", a.ID + " " + a.HumanCode + " " + a.Name, "https://muster.example/courses/" + course.Code + " " + course.Code + " " + course.Title},
			{"description", a.Description, "Finding drugs at border crossings"},
			{"narrative", a.Criteria.Narrative, "Completed 40 hours of " + course.Title + " (" + course.Code + "), hosted by " + hostName +
				", meeting the course's minimum attendance and pass mark."},
			{"number", c.Description, "Certificate " + cert.Number + ": " + course.Code + " " + course.Title},
			{"status index", c.CredentialStatus.StatusListIndex, strconv.Itoa(cert.Seq - 1)},
			{"status list", c.CredentialStatus.StatusListCredential, "https://muster.example/credentials/status/revocation/2026"},
			{"proof", c.Proof.Cryptosuite + " " + c.Proof.VerificationMethod[:len("did:web:muster.example#z6Mk")],
				"eddsa-jcs-2022 did:web:muster.example#z6Mk"},
		}
		for _, ch := range checks {
			if ch.got != ch.want {
				t.Errorf("%s: %q, want %q", ch.name, ch.got, ch.want)
			}
		}
		for _, secret := range []string{holder.Email, holder.ServiceNumber, holder.ID, holder.AgencyID, w.host, "Captain", cert.ID,
			cert.CohortID, cert.EnrollmentID, cert.UserID, course.ID} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("credential reveals %q", secret)
			}
		}

		at := w.clock.Now()
		if _, err := certify.CheckCredential(raw, keys, nil, at); err != nil {
			t.Fatalf("the credential does not verify: %v", err)
		}
		for _, tamper := range [][2]string{{"Zarina Rahimova", "Zarina Rahimov"}, {"2027-01-10T", "2028-01-10T"}, {hostName, hostName + "!"},
			{`"statusListIndex": "` + strconv.Itoa(cert.Seq-1), `"statusListIndex": "` + strconv.Itoa(cert.Seq)}} {
			forged := strings.Replace(string(raw), tamper[0], tamper[1], 1)
			if forged == string(raw) {
				t.Fatalf("tamper %q changed nothing", tamper[0])
			}
			if _, err := certify.CheckCredential([]byte(forged), keys, nil, at); !errors.Is(err, certify.ErrSignatureInvalid) {
				t.Errorf("changed %q: %v, want signature invalid", tamper[0], err)
			}
		}

		// Only those who may see the certificate get its credential.
		stranger := w.actor(w.user(w.agency("KZ"), "Stranger", access.Coordinator))
		for _, who := range []access.Actor{stranger, access.Anonymous("192.0.2.1")} {
			if _, err := w.svc.Credential(ctx(), who, cert.Number); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("%v: %v, want not_found", who.Roles, err)
			}
		}
		if _, err := w.svc.Credential(ctx(), w.admin, "MUS-2026-999999"); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Errorf("unknown number: %v", err)
		}
	})
}

// TestCredentialRevocationAndExpiry checks revocation through the signed
// list, and the validity period by date.
func TestCredentialRevocationAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder := w.user(w.guest, "Holder", access.Trainee)
		cert := w.certificate(holder, w.course(0, 0, 12), day("2026-01-10"), ptr(day("2027-01-10")))
		other := w.certificate(holder, w.course(0, 0, 0), day("2026-02-01"), nil)
		raw, keys := w.signed(w.svc, w.admin, cert.Number)
		otherRaw, _ := w.signed(w.svc, w.admin, other.Number)
		list := func(year int) []byte {
			l, err := w.svc.RevocationList(ctx(), year)
			if err != nil {
				t.Fatal(err)
			}
			return mustJSON(t, l)
		}
		now := w.clock.Now()
		before := list(2026)
		if ch, err := certify.CheckCredential(raw, keys, before, now); err != nil || ch.StatusList.IsZero() {
			t.Fatalf("before revocation: %+v %v", ch, err)
		}
		if _, err := w.svc.Revoke(ctx(), w.coord, cert.Number, certify.RevokeInput{Reason: "Exam fraud"}); err != nil {
			t.Fatal(err)
		}
		after := list(2026)
		if _, err := certify.CheckCredential(raw, keys, after, now); !errors.Is(err, certify.ErrRevoked) {
			t.Fatalf("after revocation: %v, want revoked", err)
		}
		if _, err := certify.CheckCredential(otherRaw, keys, after, now); err != nil {
			t.Fatalf("another certificate of the year: %v", err)
		}
		// Without a list the signature and dates still hold: revocation is the list's to tell.
		if _, err := certify.CheckCredential(raw, keys, nil, now); err != nil {
			t.Fatalf("without a list: %v", err)
		}
		forged := strings.Replace(string(after), `"encodedList": "u`, `"encodedList": "uH4sIAAAAAAAA`, 1)
		if _, err := certify.CheckCredential(raw, keys, []byte(forged), now); !errors.Is(err, certify.ErrSignatureInvalid) {
			t.Fatalf("a changed list: %v, want signature invalid", err)
		}
		if _, err := certify.CheckCredential(raw, keys, list(2025), now); err == nil || !strings.Contains(err.Error(), "revocation/2025") {
			t.Fatalf("another year's list: %v", err)
		}
		for _, year := range []int{1999, 2028} {
			if _, err := w.svc.RevocationList(ctx(), year); apperr.CodeOf(err) != apperr.CodeNotFound {
				t.Errorf("list of %d: %v", year, err)
			}
		}

		for _, c := range []struct {
			at   string
			want error
		}{{"2026-01-09", certify.ErrNotYetValid}, {"2026-01-10", nil}, {"2027-01-09", nil}, {"2027-01-10", certify.ErrExpired}} {
			if _, err := certify.CheckCredential(raw, keys, nil, day(c.at)); !errors.Is(err, c.want) {
				t.Errorf("on %s: %v, want %v", c.at, err, c.want)
			}
		}
		if _, err := certify.CheckCredential(otherRaw, keys, nil, day("2099-01-01")); err != nil {
			t.Errorf("a certificate without expiry: %v", err)
		}
	})
}
