package certify

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"muster/internal/clock"
	"time"

	"muster/internal/apperr"
)

// Revocation lists follow W3C Bitstring Status List v1.0: one list per year
// of certificate numbers, where bit seq-1 (counted from the most significant
// bit of the first byte) is set when certificate PREFIX-YEAR-seq is revoked.
// The index needs no column of its own: numbers are unique and gap-free
// within a year.
const (
	// minListBits is the smallest list the specification allows (16 KiB),
	// so a list's length says little about how many certificates exist.
	minListBits = 16 * 1024 * 8
	// maxListBytes bounds what a list may expand to when read.
	maxListBytes = 16 << 20
)

// StatusListCredential is a signed revocation list (a W3C
// BitstringStatusListCredential).
type StatusListCredential struct {
	Context           []string   `json:"@context"`
	ID                string     `json:"id"`
	Type              []string   `json:"type"`
	Issuer            string     `json:"issuer"`
	ValidFrom         string     `json:"validFrom"` // when the list was made
	CredentialSubject StatusList `json:"credentialSubject"`
	Proof             *Proof     `json:"proof,omitempty"`
}

// StatusList is the list itself: encodedList is the multibase base64url
// (no padding) of the GZIP-compressed bitstring.
type StatusList struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

// RevocationList signs the revocation list of the certificates numbered in
// year, as it stands now. Years before 2000 or after next year are not_found.
func (s *Service) RevocationList(ctx context.Context, year int) (*StatusListCredential, error) {
	now := clock.Now(s.Clock)
	if year < 2000 || year > now.Year()+1 {
		return nil, apperr.NotFound()
	}
	tx := s.db(ctx)
	var last int
	if err := tx.Table("certificates").Where("year = ?", year).Select("COALESCE(MAX(seq), 0)").Scan(&last).Error; err != nil {
		return nil, err
	}
	var revoked []int
	if err := tx.Table("certificates").Where("year = ? AND revoked_at IS NOT NULL", year).Pluck("seq", &revoked).Error; err != nil {
		return nil, err
	}
	bits := newBitstring(last)
	for _, seq := range revoked {
		bits.set(seq - 1)
	}
	encoded, err := bits.encode()
	if err != nil {
		return nil, err
	}
	key, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	url := s.StatusListURL(year)
	l := &StatusListCredential{
		Context: credentialContext[:1], ID: url, Type: []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer: s.DID(), ValidFrom: now.Format(time.RFC3339),
		CredentialSubject: StatusList{ID: url + "#list", Type: "BitstringStatusList", StatusPurpose: "revocation", EncodedList: encoded},
	}
	if l.Proof, err = prove(key, l, l.Context, s.methodURL(key.Public().(ed25519.PublicKey)), now); err != nil {
		return nil, err
	}
	return l, nil
}

// bitstring is a status list's bits, index 0 the leftmost.
type bitstring []byte

// newBitstring holds at least n bits and never fewer than the minimum.
func newBitstring(n int) bitstring {
	return make(bitstring, (max(n, minListBits)+7)/8)
}

func (b bitstring) set(i int) {
	if i >= 0 && i/8 < len(b) {
		b[i/8] |= 0x80 >> (i % 8)
	}
}

// isSet reads bit i; an index beyond the list is an error.
func (b bitstring) isSet(i int) (bool, error) {
	if i < 0 || i/8 >= len(b) {
		return false, fmt.Errorf("status list index %d is outside the list of %d entries", i, len(b)*8)
	}
	return b[i/8]&(0x80>>(i%8)) != 0, nil
}

// encode gives the encodedList form: "u" + base64url(gzip(bits)).
func (b bitstring) encode() (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// decodeBitstring reads an encodedList, refusing one that expands too far.
func decodeBitstring(s string) (bitstring, error) {
	if len(s) < 2 || s[0] != 'u' {
		return nil, fmt.Errorf("status list: encodedList is not multibase base64url")
	}
	z, err := base64.RawURLEncoding.DecodeString(s[1:])
	if err != nil {
		return nil, fmt.Errorf("status list: encodedList: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("status list: encodedList: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("status list: encodedList: %w", err)
	}
	if len(b) > maxListBytes {
		return nil, fmt.Errorf("status list: longer than %d bytes", maxListBytes)
	}
	return b, nil
}
