package certify_test

import (
	"testing"

	"muster/internal/certify"
)

// TestDIDWeb follows the did:web method: host lower-cased, the port's colon
// percent-encoded, path segments after colons; and back to the address a
// resolver fetches.
func TestDIDWeb(t *testing.T) {
	for _, c := range []struct{ base, did, doc, served string }{
		{"https://muster.example", "did:web:muster.example", "https://muster.example/.well-known/did.json", "/.well-known/did.json"},
		{"https://Muster.Example/", "did:web:muster.example", "https://muster.example/.well-known/did.json", "/.well-known/did.json"},
		{"http://127.0.0.1:8080", "did:web:127.0.0.1%3A8080", "https://127.0.0.1:8080/.well-known/did.json", "/.well-known/did.json"},
		{"https://gov.example:8443/training/muster", "did:web:gov.example%3A8443:training:muster", "https://gov.example:8443/training/muster/did.json", "/did.json"},
		{"https://gov.example/training/", "did:web:gov.example:training", "https://gov.example/training/did.json", "/did.json"},
		{"https://gov.example/a%20b", "did:web:gov.example:a%20b", "https://gov.example/a%20b/did.json", "/did.json"},
	} {
		did, err := certify.DIDWeb(c.base)
		if err != nil || did != c.did {
			t.Errorf("DIDWeb(%q) = %q %v, want %q", c.base, did, err, c.did)
			continue
		}
		if doc, err := certify.DIDDocumentURL(did); err != nil || doc != c.doc {
			t.Errorf("DIDDocumentURL(%q) = %q %v, want %q", did, doc, err, c.doc)
		}
		if got := certify.DIDDocumentPath(c.base); got != c.served {
			t.Errorf("DIDDocumentPath(%q) = %q, want %q", c.base, got, c.served)
		}
	}
	for _, bad := range []string{"https://[::1]:8080", "not a url"} {
		if did, err := certify.DIDWeb(bad); err == nil {
			t.Errorf("DIDWeb(%q) = %q, want an error", bad, did)
		}
	}
	for _, bad := range []string{"did:key:z6Mk", "did:web:", "https://muster.example", "did:web:host/path"} {
		if u, err := certify.DIDDocumentURL(bad); err == nil {
			t.Errorf("DIDDocumentURL(%q) = %q, want an error", bad, u)
		}
	}
}
