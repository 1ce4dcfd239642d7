package certify

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// The issuer is a did:web DID (W3C DID Core, did:web method): the host of
// MUSTER_BASE_URL, its port percent-encoded, then the base URL's path
// segments after colons. Its DID document lists every key muster signs
// with as a Multikey in assertionMethod, so a standard verifier finds the
// key a proof names under the issuer the credential names.
const (
	// WellKnownDIDPath is where the DID document of a base URL without a path is served.
	WellKnownDIDPath = "/.well-known/did.json"
	// didDocumentName ends the DID document's path when the base URL has one.
	didDocumentName = "/did.json"
)

// didContext are the JSON-LD contexts of the DID document.
var didContext = []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"}

// IssuerDocument is the issuer's DID document.
type IssuerDocument struct {
	Context            []string             `json:"@context"`
	ID                 string               `json:"id"`
	VerificationMethod []VerificationMethod `json:"verificationMethod"`
	AssertionMethod    []string             `json:"assertionMethod"`
}

// VerificationMethod is one public key.
type VerificationMethod struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// DIDWeb is the did:web DID of the issuer at baseURL.
func DIDWeb(baseURL string) (string, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" || strings.HasPrefix(u.Host, "[") {
		return "", fmt.Errorf("did:web: %q has no host name", baseURL)
	}
	did := "did:web:" + strings.ToLower(u.Hostname())
	if port := u.Port(); port != "" {
		did += "%3A" + port
	}
	for _, seg := range strings.Split(strings.Trim(u.EscapedPath(), "/"), "/") {
		if seg != "" {
			did += ":" + strings.ReplaceAll(seg, ":", "%3A")
		}
	}
	return did, nil
}

// DIDDocumentURL is where a did:web DID's document is fetched from: https,
// the host (with its decoded port), then the path segments and did.json, or
// /.well-known/did.json without a path.
func DIDDocumentURL(did string) (string, error) {
	rest, ok := strings.CutPrefix(did, "did:web:")
	if !ok || rest == "" || strings.ContainsAny(rest, "/?#") {
		return "", fmt.Errorf("%q is not a did:web DID", did)
	}
	parts := strings.Split(rest, ":")
	host, err := url.PathUnescape(parts[0])
	if err != nil || host == "" {
		return "", fmt.Errorf("%q is not a did:web DID", did)
	}
	if len(parts) == 1 {
		return "https://" + host + WellKnownDIDPath, nil
	}
	return "https://" + host + "/" + strings.Join(parts[1:], "/") + didDocumentName, nil
}

// DIDDocumentPath is the path, as the server sees it, of the DID document
// of baseURL: the well-known path; or /did.json when the base URL has a
// path, which a proxy in front of muster removes before forwarding.
func DIDDocumentPath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err == nil && strings.Trim(u.Path, "/") != "" {
		return didDocumentName
	}
	return WellKnownDIDPath
}

// DID is this issuer's did:web DID. A base URL that makes none (an IPv6
// literal) falls back to the base URL itself, which config validation
// keeps from happening in practice.
func (s *Service) DID() string {
	did, err := DIDWeb(s.BaseURL)
	if err != nil {
		return s.base()
	}
	return did
}

// IssuerDocument lists the key signing now, first, and every key that
// signed before, so older credentials still verify.
func (s *Service) IssuerDocument(ctx context.Context) (*IssuerDocument, error) {
	keys, err := s.publishedKeys(ctx)
	if err != nil {
		return nil, err
	}
	d := &IssuerDocument{Context: didContext, ID: s.DID(), VerificationMethod: []VerificationMethod{}, AssertionMethod: []string{}}
	for _, k := range keys {
		id := s.methodURL(k)
		d.VerificationMethod = append(d.VerificationMethod, VerificationMethod{ID: id, Type: "Multikey", Controller: d.ID, PublicKeyMultibase: Multikey(k)})
		d.AssertionMethod = append(d.AssertionMethod, id)
	}
	return d, nil
}

// ParseIssuerDocument reads an issuer's DID document.
func ParseIssuerDocument(raw []byte) (*IssuerDocument, error) {
	var d IssuerDocument
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("issuer DID document: %w", err)
	}
	if !strings.HasPrefix(d.ID, "did:") || len(d.VerificationMethod) == 0 {
		return nil, fmt.Errorf("issuer DID document: no DID or no verification method")
	}
	return &d, nil
}

// Issuer is the DID whose keys these are.
func (d *IssuerDocument) Issuer() string { return d.ID }

// key answers the public key of a verification method the document lists
// for signing credentials (assertionMethod), else an error wrapping
// ErrSignatureInvalid.
func (d *IssuerDocument) key(method string) (ed25519.PublicKey, error) {
	if slices.Contains(d.AssertionMethod, method) {
		for _, m := range d.VerificationMethod {
			if m.ID == method && m.Type == "Multikey" && m.Controller == d.ID {
				return ParseMultikey(m.PublicKeyMultibase)
			}
		}
	}
	return nil, fmt.Errorf("%w: key %s is not in the issuer's DID document", ErrSignatureInvalid, method)
}
