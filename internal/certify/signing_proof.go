package certify

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"
)

// Credentials are secured with a W3C Data Integrity proof using the
// eddsa-jcs-2022 cryptosuite (Data Integrity EdDSA Cryptosuites v1.0): the
// Ed25519 signature, in base58btc multibase, of
//
//	SHA-256(JCS(proof options with the document's @context)) ||
//	SHA-256(JCS(document without its proof))
//
// where JCS is the JSON Canonicalization Scheme of RFC 8785.
const (
	ProofType       = "DataIntegrityProof"
	Cryptosuite     = "eddsa-jcs-2022"
	proofPurpose    = "assertionMethod"
	multikeyEd25519 = "\xed\x01" // multicodec prefix of an Ed25519 public key
)

// ErrSignatureInvalid is the answer to a document whose proof does not hold.
var ErrSignatureInvalid = errors.New("signature invalid")

// Proof is a Data Integrity proof as embedded in a signed document.
type Proof struct {
	Type               string   `json:"type"`
	Cryptosuite        string   `json:"cryptosuite"`
	Created            string   `json:"created,omitempty"`
	VerificationMethod string   `json:"verificationMethod"`
	ProofPurpose       string   `json:"proofPurpose"`
	Context            []string `json:"@context,omitempty"`
	ProofValue         string   `json:"proofValue,omitempty"`
}

// Multikey writes an Ed25519 public key as a Multikey publicKeyMultibase
// ("z6Mk..."), which also names the key in verification method URLs.
func Multikey(pub ed25519.PublicKey) string {
	return "z" + base58.Encode(append([]byte(multikeyEd25519), pub...))
}

// ParseMultikey reads an Ed25519 publicKeyMultibase.
func ParseMultikey(s string) (ed25519.PublicKey, error) {
	if len(s) < 2 || s[0] != 'z' {
		return nil, fmt.Errorf("public key %q: not base58btc multibase", s)
	}
	b, err := base58.Decode(s[1:])
	if err != nil || len(b) != 2+ed25519.PublicKeySize || string(b[:2]) != multikeyEd25519 {
		return nil, fmt.Errorf("public key %q: not an Ed25519 multikey", s)
	}
	return ed25519.PublicKey(b[2:]), nil
}

// prove signs unsecured, a document without a proof whose @context is
// context, and returns the proof to embed in it.
func prove(key ed25519.PrivateKey, unsecured any, context []string, method string, created time.Time) (*Proof, error) {
	doc, err := json.Marshal(unsecured)
	if err != nil {
		return nil, err
	}
	p := &Proof{Type: ProofType, Cryptosuite: Cryptosuite, Created: created.UTC().Format(time.RFC3339), VerificationMethod: method,
		ProofPurpose: proofPurpose, Context: context}
	options, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	data, err := signingInput(options, doc)
	if err != nil {
		return nil, err
	}
	p.ProofValue = "z" + base58.Encode(ed25519.Sign(key, data))
	return p, nil
}

// signingInput is what eddsa-jcs-2022 signs: the hash of the canonical
// proof options followed by the hash of the canonical document.
func signingInput(options, doc []byte) ([]byte, error) {
	co, err := jcs.Transform(options)
	if err != nil {
		return nil, fmt.Errorf("canonical proof options: %w", err)
	}
	cd, err := jcs.Transform(doc)
	if err != nil {
		return nil, fmt.Errorf("canonical document: %w", err)
	}
	ho, hd := sha256.Sum256(co), sha256.Sum256(cd)
	return append(ho[:], hd[:]...), nil
}

// verifyProof checks the single eddsa-jcs-2022 proof of a signed document
// against the key resolve gives for its verification method, and returns
// the proof. Any failure wraps ErrSignatureInvalid.
func verifyProof(raw []byte, resolve func(method string) (ed25519.PublicKey, error)) (*Proof, error) {
	invalid := func(why string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrSignatureInvalid, fmt.Sprintf(why, args...))
	}
	if _, err := jcs.Transform(raw); err != nil { // also refuses duplicate keys, which readers could take differently
		return nil, invalid("not canonicalisable JSON: %v", err)
	}
	var doc, options map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, invalid("not a JSON object")
	}
	if err := json.Unmarshal(doc["proof"], &options); err != nil || options == nil {
		return nil, invalid("no single proof")
	}
	var p Proof
	if err := json.Unmarshal(doc["proof"], &p); err != nil {
		return nil, invalid("malformed proof")
	}
	switch {
	case p.Type != ProofType || p.Cryptosuite != Cryptosuite:
		return nil, invalid("proof is %s/%s, want %s/%s", p.Type, p.Cryptosuite, ProofType, Cryptosuite)
	case p.ProofPurpose != proofPurpose:
		return nil, invalid("proof purpose is %q", p.ProofPurpose)
	case len(p.ProofValue) < 2 || p.ProofValue[0] != 'z':
		return nil, invalid("proof value is not base58btc multibase")
	case p.Created != "" && !validInstant(p.Created):
		return nil, invalid("proof created %q is not a date-time", p.Created)
	}
	sig, err := base58.Decode(p.ProofValue[1:])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, invalid("proof value is not an Ed25519 signature")
	}
	delete(doc, "proof")
	delete(options, "proofValue")
	if ctx, ok := options["@context"]; ok {
		// The proof's contexts must open the document's, and stand in for them.
		if !startsWith(doc["@context"], ctx) {
			return nil, invalid("proof @context does not match the document's")
		}
		doc["@context"] = ctx
	} else if ctx, ok := doc["@context"]; ok {
		options["@context"] = ctx // the proof options are signed with the document's contexts
	}
	optionBytes, err := json.Marshal(options)
	if err != nil {
		return nil, err
	}
	docBytes, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	data, err := signingInput(optionBytes, docBytes)
	if err != nil {
		return nil, invalid("%v", err)
	}
	key, err := resolve(p.VerificationMethod)
	if err != nil {
		return nil, err
	}
	if !ed25519.Verify(key, data, sig) {
		return nil, invalid("the proof does not match the document")
	}
	return &p, nil
}

func validInstant(s string) bool {
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// startsWith reports whether the @context list doc begins with the list prefix.
func startsWith(doc, prefix json.RawMessage) bool {
	d, p := contextList(doc), contextList(prefix)
	return d != nil && p != nil && len(p) <= len(d) && slices.EqualFunc(d[:len(p)], p, func(a, b json.RawMessage) bool {
		ca, errA := jcs.Transform(a)
		cb, errB := jcs.Transform(b)
		return errA == nil && errB == nil && bytes.Equal(ca, cb)
	})
}

// contextList reads an @context, a single value or a list, as a list.
func contextList(raw json.RawMessage) []json.RawMessage {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err == nil {
		return list
	}
	if len(raw) > 0 {
		return []json.RawMessage{raw}
	}
	return nil
}
