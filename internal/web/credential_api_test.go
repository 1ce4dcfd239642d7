package web_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestCredentialDownloadAndCheck downloads a certificate's signed credential
// as its holder, fetches the issuer's keys and revocation list as a foreign
// system would (without signing in), checks the credential offline, then
// revokes it and checks again.
func TestCredentialDownloadAndCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		sc := newCertifyScene(t, env, "b")
		number := sc.certificate.Number
		holder := env.As("b/trainee")

		res := holder.Do("GET", "/api/v1/certificates/"+strings.ToLower(number)+".vc.json", nil)
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/vc" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="`+number+`.vc.json"` {
			t.Fatalf("download: %d %v %s", res.Status, res.Header, res.Body)
		}
		credential := res.Body
		if page := holder.Do("GET", "/certificates/"+number+".vc.json", nil); page.Status != http.StatusOK || !strings.Contains(string(page.Body), sc.certificate.VerificationURL) {
			t.Fatalf("download from the page route: %d %s", page.Status, page.Body)
		}

		foreign := env.Anonymous()
		keys := foreign.Do("GET", "/.well-known/did.json", nil)
		if keys.Status != http.StatusOK || keys.Header.Get("Access-Control-Allow-Origin") != "*" || keys.Header.Get("Content-Type") != "application/did+ld+json" ||
			!strings.Contains(string(keys.Body), `"type": "Multikey"`) {
			t.Fatalf("issuer document: %d %v %s", keys.Status, keys.Header, keys.Body)
		}
		year := strconv.Itoa(sc.certificate.IssuedOn.Year())
		list := func() []byte {
			t.Helper()
			res := foreign.Do("GET", "/credentials/status/revocation/"+year, nil)
			if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/vc" {
				t.Fatalf("revocation list: %d %s", res.Status, res.Body)
			}
			return res.Body
		}
		now := env.Clock.Now()
		if _, err := certify.CheckCredential(credential, keys.Body, list(), now); err != nil {
			t.Fatalf("check: %v", err)
		}
		did := "did:web:" + strings.Replace(strings.TrimPrefix(env.URL, "http://"), ":", "%3A", 1)
		if !strings.Contains(string(credential), `"id": "`+did+`"`) || !strings.Contains(string(credential), `"verificationMethod": "`+did+`#z6Mk`) {
			t.Fatalf("the issuer is not the server's DID %s: %s", did, credential)
		}

		if res := env.As("b/coordinator").Do("POST", "/api/v1/certificates/"+number+"/revoke", map[string]any{"reason": "Issued in error"}); res.Status != http.StatusOK {
			t.Fatalf("revoke: %d %s", res.Status, res.Body)
		}
		if _, err := certify.CheckCredential(credential, keys.Body, list(), now); !errors.Is(err, certify.ErrRevoked) {
			t.Fatalf("after revocation: %v, want revoked", err)
		}

		for _, bad := range []string{"1999", "9999", "twenty", "2026x"} {
			if res := foreign.Do("GET", "/credentials/status/revocation/"+bad, nil); res.Status != http.StatusNotFound ||
				res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("list %q: %d %s", bad, res.Status, res.Body)
			}
		}
		if res := env.As("a/trainee").Do("GET", "/api/v1/certificates/"+number+".vc.json", nil); res.Status != http.StatusNotFound {
			t.Errorf("another agency's trainee: %d", res.Status)
		}
	})
}

// TestCredentialLinks checks the certificate page and the holder's list link
// to the credential next to the PDF.
func TestCredentialLinks(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	sc := newCertifyScene(t, env, "b")
	holder := env.As("b/trainee")
	href := `href="/certificates/` + sc.certificate.Number + `.vc.json"`
	for _, path := range []string{"/certificates/" + sc.certificate.Number, "/me/certificates"} {
		res := holder.Do("GET", path, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), href) || !strings.Contains(string(res.Body), "signed credential") {
			t.Errorf("%s: %d, no link %s", path, res.Status, href)
		}
	}
}
