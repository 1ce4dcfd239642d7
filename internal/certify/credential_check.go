package certify

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Reasons a correctly signed credential does not hold.
var (
	ErrRevoked     = errors.New("revoked")
	ErrExpired     = errors.New("expired")
	ErrNotYetValid = errors.New("not yet valid")
)

// CredentialCheck is what an offline check of a credential found.
type CredentialCheck struct {
	Credential Credential
	ValidFrom  time.Time
	ValidUntil *time.Time
	// StatusList is when the revocation list checked against was made;
	// zero when no list was given.
	StatusList time.Time
}

// CheckCredential checks a signed credential without calling its issuer:
// its proof against the keys of the issuer's key document, the revocation
// list when one is given (itself signed by a key of that document), and
// its validity period at the instant at. The error names the first reason
// it fails: ErrSignatureInvalid, ErrRevoked, ErrExpired or ErrNotYetValid
// (wrapped), or a malformed input.
func CheckCredential(credential, issuerDocument, statusList []byte, at time.Time) (*CredentialCheck, error) {
	keys, err := ParseIssuerDocument(issuerDocument)
	if err != nil {
		return nil, err
	}
	if _, err := verifyProof(credential, keys.key); err != nil {
		return nil, err
	}
	var ch CredentialCheck
	c := &ch.Credential
	if err := json.Unmarshal(credential, c); err != nil {
		return nil, fmt.Errorf("credential: %w", err)
	}
	if !slices.Contains(c.Type, "OpenBadgeCredential") {
		return nil, fmt.Errorf("credential: not an OpenBadgeCredential")
	}
	if c.Issuer.ID != keys.Issuer() {
		return nil, fmt.Errorf("%w: the key document is %s's, the credential names issuer %s", ErrSignatureInvalid, keys.Issuer(), c.Issuer.ID)
	}
	if ch.ValidFrom, err = time.Parse(time.RFC3339, c.ValidFrom); err != nil {
		return nil, fmt.Errorf("credential: validFrom: %w", err)
	}
	if c.ValidUntil != "" {
		until, err := time.Parse(time.RFC3339, c.ValidUntil)
		if err != nil {
			return nil, fmt.Errorf("credential: validUntil: %w", err)
		}
		ch.ValidUntil = &until
	}
	if statusList != nil {
		if err := checkRevocation(&ch, statusList, keys); err != nil {
			return &ch, err
		}
	}
	switch {
	case ch.ValidUntil != nil && !at.Before(*ch.ValidUntil):
		return &ch, fmt.Errorf("%w on %s", ErrExpired, ch.ValidUntil.UTC().Format(time.DateOnly))
	case at.Before(ch.ValidFrom):
		return &ch, fmt.Errorf("%w: valid from %s", ErrNotYetValid, ch.ValidFrom.UTC().Format(time.DateOnly))
	}
	return &ch, nil
}

// checkRevocation reads the credential's bit in a revocation list the same
// issuer signed.
func checkRevocation(ch *CredentialCheck, raw []byte, keys *IssuerDocument) error {
	entry := ch.Credential.CredentialStatus
	if entry == nil || entry.StatusPurpose != "revocation" {
		return fmt.Errorf("credential: no revocation status to check")
	}
	if _, err := verifyProof(raw, keys.key); err != nil {
		return fmt.Errorf("status list: %w", err)
	}
	var l StatusListCredential
	if err := json.Unmarshal(raw, &l); err != nil {
		return fmt.Errorf("status list: %w", err)
	}
	switch {
	case l.ID != entry.StatusListCredential:
		return fmt.Errorf("status list: this is %s, the credential's is %s", l.ID, entry.StatusListCredential)
	case l.Issuer != ch.Credential.Issuer.ID:
		return fmt.Errorf("status list: issued by %s, not %s", l.Issuer, ch.Credential.Issuer.ID)
	case !slices.Contains(l.Type, "BitstringStatusListCredential") || l.CredentialSubject.StatusPurpose != entry.StatusPurpose:
		return fmt.Errorf("status list: not a revocation list")
	}
	made, err := time.Parse(time.RFC3339, l.ValidFrom)
	if err != nil {
		return fmt.Errorf("status list: validFrom: %w", err)
	}
	index, err := strconv.Atoi(entry.StatusListIndex)
	if err != nil {
		return fmt.Errorf("credential: statusListIndex %q", entry.StatusListIndex)
	}
	bits, err := decodeBitstring(l.CredentialSubject.EncodedList)
	if err != nil {
		return err
	}
	revoked, err := bits.isSet(index)
	if err != nil {
		return err
	}
	ch.StatusList = made
	if revoked {
		return fmt.Errorf("%w (revocation list of %s)", ErrRevoked, made.UTC().Format(time.RFC3339))
	}
	return nil
}
