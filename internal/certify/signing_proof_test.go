package certify

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mr-tron/base58"
)

// The eddsa-jcs-2022 example of the W3C Data Integrity EdDSA Cryptosuites
// v1.0 test vectors: its key pair and signed credential.
const (
	vectorPublic  = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	vectorPrivate = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq" // multicodec ed25519-priv + seed
	vectorSigned  = `{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "AlumniCredential"],
  "name": "Alumni Credential",
  "description": "A minimum viable example of an Alumni Credential.",
  "issuer": "https://vc.example/issuers/5678",
  "validFrom": "2023-01-01T00:00:00Z",
  "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
  }
}`
)

func vectorKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	b, err := base58.Decode(vectorPrivate[1:])
	if err != nil || len(b) != 34 || b[0] != 0x80 || b[1] != 0x26 {
		t.Fatalf("vector private key: %x %v", b, err)
	}
	return ed25519.NewKeyFromSeed(b[2:])
}

// TestProofMatchesW3CVector shows the proof is eddsa-jcs-2022 as specified:
// the published example verifies, and signing its document with its key
// gives its signature byte for byte (Ed25519 is deterministic).
func TestProofMatchesW3CVector(t *testing.T) {
	key := vectorKey(t)
	pub, err := ParseMultikey(vectorPublic)
	if err != nil || !pub.Equal(key.Public()) || Multikey(pub) != vectorPublic {
		t.Fatalf("multikey: %v", err)
	}
	method := "https://vc.example/issuers/5678#" + vectorPublic
	resolve := func(m string) (ed25519.PublicKey, error) {
		if m != method {
			return nil, errors.New("unknown key")
		}
		return pub, nil
	}
	if _, err := verifyProof([]byte(vectorSigned), resolve); err != nil {
		t.Fatalf("the W3C example does not verify: %v", err)
	}

	var doc map[string]any
	if err := json.Unmarshal([]byte(vectorSigned), &doc); err != nil {
		t.Fatal(err)
	}
	want := doc["proof"].(map[string]any)["proofValue"]
	delete(doc, "proof")
	created := time.Date(2023, 2, 24, 23, 36, 38, 0, time.UTC)
	ctx := []string{"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"}
	p, err := prove(key, doc, ctx, method, created)
	if err != nil {
		t.Fatal(err)
	}
	if p.ProofValue != want {
		t.Fatalf("signature %s, the W3C example has %s", p.ProofValue, want)
	}

	for _, tamper := range []struct{ from, to string }{
		{"The School of Examples", "The School of Exampl3s"},
		{`"2023-01-01T00:00:00Z"`, `"2023-01-02T00:00:00Z"`},
		{`"created": "2023-02-24T23:36:38Z"`, `"created": "2023-02-24T23:36:39Z"`},
		{`"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
  "id"`, `"@context": ["https://www.w3.org/ns/credentials/v2"],
  "id"`},
		{`"proofValue": "z63t83`, `"proofValue": "z63t84`},
		{`"name": "Alumni Credential",`, `"name": "Alumni Credential", "name": "Forged",`},
	} {
		forged := strings.Replace(vectorSigned, tamper.from, tamper.to, 1)
		if forged == vectorSigned {
			t.Fatalf("tamper %q changed nothing", tamper.from)
		}
		if _, err := verifyProof([]byte(forged), resolve); !errors.Is(err, ErrSignatureInvalid) {
			t.Errorf("changed %q to %q: %v, want signature invalid", tamper.from, tamper.to, err)
		}
	}
	// A proof that does not repeat the document's @context is signed with it all the same.
	bare := *p
	bare.Context = nil
	doc["proof"] = bare
	b, _ := json.Marshal(doc)
	if _, err := verifyProof(b, resolve); err != nil {
		t.Errorf("a proof without @context: %v", err)
	}
	// The same document with a different key fails.
	other, _, _ := ed25519.GenerateKey(nil)
	if _, err := verifyProof([]byte(vectorSigned), func(string) (ed25519.PublicKey, error) { return other, nil }); !errors.Is(err, ErrSignatureInvalid) {
		t.Errorf("another key: %v", err)
	}
}
