package certify

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// IssuerDocument publishes the issuer's public keys as a W3C controlled
// identifier document with Multikey verification methods. Its id is the
// issuer's id followed by IssuerDocumentPath, so a verifier can tell whose
// keys these are.
type IssuerDocument struct {
	Context            string               `json:"@context"`
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

const cidContext = "https://www.w3.org/ns/cid/v1"

// IssuerDocument lists the key signing now, first, and every key that
// signed before, so older credentials still verify.
func (s *Service) IssuerDocument(ctx context.Context) (*IssuerDocument, error) {
	keys, err := s.publishedKeys(ctx)
	if err != nil {
		return nil, err
	}
	d := &IssuerDocument{Context: cidContext, ID: s.IssuerDocumentURL(), VerificationMethod: []VerificationMethod{}, AssertionMethod: []string{}}
	for _, k := range keys {
		id := s.methodURL(k)
		d.VerificationMethod = append(d.VerificationMethod, VerificationMethod{ID: id, Type: "Multikey", Controller: d.ID, PublicKeyMultibase: Multikey(k)})
		d.AssertionMethod = append(d.AssertionMethod, id)
	}
	return d, nil
}

// ParseIssuerDocument reads an issuer document.
func ParseIssuerDocument(raw []byte) (*IssuerDocument, error) {
	var d IssuerDocument
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("issuer key document: %w", err)
	}
	if d.ID == "" || len(d.VerificationMethod) == 0 {
		return nil, fmt.Errorf("issuer key document: no id or no verification method")
	}
	return &d, nil
}

// Issuer is the issuer id whose keys these are.
func (d *IssuerDocument) Issuer() string { return strings.TrimSuffix(d.ID, IssuerDocumentPath) }

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
	return nil, fmt.Errorf("%w: key %s is not in the issuer key document", ErrSignatureInvalid, method)
}
