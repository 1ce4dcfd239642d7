package certify

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"muster/internal/db"
	"net/url"
	"strconv"
	"strings"
	"time"

	"muster/internal/access"
	"muster/internal/apperr"
)

// DefaultIssuerName names the issuer of credentials when none is configured.
const DefaultIssuerName = "muster"

// StatusListPath is where a verifier fetches a revocation list, followed by the year.
const StatusListPath = "/credentials/status/revocation/"

// credentialContext are the JSON-LD contexts of a certificate credential:
// the W3C Verifiable Credentials Data Model 2.0 and Open Badges 3.0.
var credentialContext = []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}

// Credential is a certificate as an Open Badges 3.0 OpenBadgeCredential (a
// W3C Verifiable Credential 2.0) signed with an eddsa-jcs-2022 proof. It
// carries the public facts the verification page shows and nothing else
// about the person.
type Credential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"` // the verification URL
	Type              []string           `json:"type"`
	Name              string             `json:"name"`
	Description       string             `json:"description"`
	Issuer            IssuerProfile      `json:"issuer"`
	ValidFrom         string             `json:"validFrom"`
	ValidUntil        string             `json:"validUntil,omitempty"`
	CredentialSubject AchievementSubject `json:"credentialSubject"`
	CredentialStatus  *StatusEntry       `json:"credentialStatus,omitempty"`
	Proof             *Proof             `json:"proof,omitempty"`
}

// IssuerProfile is the platform that signs credentials.
type IssuerProfile struct {
	ID   string   `json:"id"`
	Type []string `json:"type"`
	Name string   `json:"name"`
}

// AchievementSubject is the holder: their name, as printed, and what they achieved.
type AchievementSubject struct {
	Type []string `json:"type"`
	Name string   `json:"name"`
	// Identifier names the holder the Open Badges way, as they have no identifier URL.
	Identifier  []IdentityObject `json:"identifier"`
	Achievement Achievement      `json:"achievement"`
}

// IdentityObject is one plain (unhashed) name of the holder.
type IdentityObject struct {
	Type         string `json:"type"`
	IdentityType string `json:"identityType"`
	Hashed       bool   `json:"hashed"`
	IdentityHash string `json:"identityHash"`
}

// Achievement is the course completed.
type Achievement struct {
	ID              string   `json:"id"` // the course's public page
	Type            []string `json:"type"`
	AchievementType string   `json:"achievementType"`
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Criteria        Criteria `json:"criteria"`
	HumanCode       string   `json:"humanCode"`
}

// Criteria says in words what earned the achievement.
type Criteria struct {
	Narrative string `json:"narrative"`
}

// StatusEntry points at the bit of a revocation list that says whether the
// credential is revoked (a W3C BitstringStatusListEntry).
type StatusEntry struct {
	ID                   string `json:"id"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}

// Credential signs the certificate with number as a credential for a
// viewer who may see it; others get not_found. Each call signs anew, with
// the key signing now.
func (s *Service) Credential(ctx context.Context, actor access.Actor, number string) (*Credential, error) {
	tx := s.db(ctx)
	r, err := s.row(tx, number)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, &r.Certificate, r.HolderAgencyID) {
		return nil, apperr.NotFound()
	}
	var summary []string
	if err := tx.Table("courses").Where("id = ?", r.CourseID).Pluck("summary", &summary).Error; err != nil {
		return nil, err
	}
	description := r.CourseTitle
	if len(summary) > 0 && strings.TrimSpace(summary[0]) != "" {
		description = strings.TrimSpace(summary[0])
	}
	key, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	c := s.credentialOf(r, description)
	if c.Proof, err = prove(key, c, c.Context, s.methodURL(key.Public().(ed25519.PublicKey)), db.Now(tx, s.Clock)); err != nil {
		return nil, err
	}
	return c, nil
}

// credentialOf is the unsigned credential of a certificate.
func (s *Service) credentialOf(r *certRow, description string) *Credential {
	names := []string{r.HolderName}
	name := r.HolderName
	if r.HolderNameLatin != "" && r.HolderNameLatin != r.HolderName {
		names = append(names, r.HolderNameLatin)
		name += " (" + r.HolderNameLatin + ")"
	}
	ids := make([]IdentityObject, len(names))
	for i, n := range names {
		ids[i] = IdentityObject{Type: "IdentityObject", IdentityType: "name", IdentityHash: n}
	}
	narrative := fmt.Sprintf("Completed %d hours of %s (%s)", r.Hours, r.CourseTitle, r.CourseCode)
	if r.HostAgency != "" {
		narrative += ", hosted by " + r.HostAgency
	}
	narrative += ", meeting the course's minimum attendance and pass mark."
	listURL := s.StatusListURL(r.Year)
	index := strconv.Itoa(r.Seq - 1)
	c := &Credential{
		Context: credentialContext, ID: s.VerificationURL(r.VerificationCode),
		Type: []string{"VerifiableCredential", "OpenBadgeCredential"}, Name: r.CourseTitle,
		Description: fmt.Sprintf("Certificate %s: %s %s", r.Number, r.CourseCode, r.CourseTitle),
		Issuer:      s.issuerProfile(), ValidFrom: instant(r.IssuedOn),
		CredentialSubject: AchievementSubject{Type: []string{"AchievementSubject"}, Name: name, Identifier: ids,
			Achievement: Achievement{ID: s.base() + "/courses/" + url.PathEscape(r.CourseCode), Type: []string{"Achievement"},
				AchievementType: "CertificateOfCompletion", Name: r.CourseTitle, Description: description,
				Criteria: Criteria{Narrative: narrative}, HumanCode: r.CourseCode}},
		CredentialStatus: &StatusEntry{ID: listURL + "#" + index, Type: "BitstringStatusListEntry", StatusPurpose: "revocation",
			StatusListIndex: index, StatusListCredential: listURL},
	}
	if r.ExpiresOn != nil {
		c.ValidUntil = instant(*r.ExpiresOn)
	}
	return c
}

func (s *Service) issuerProfile() IssuerProfile {
	name := s.IssuerName
	if name == "" {
		name = DefaultIssuerName
	}
	return IssuerProfile{ID: s.DID(), Type: []string{"Profile"}, Name: name}
}

// base is the public address without a trailing slash.
func (s *Service) base() string { return strings.TrimRight(s.BaseURL, "/") }

// StatusListURL is the revocation list of the certificates numbered in year.
func (s *Service) StatusListURL(year int) string {
	return s.base() + StatusListPath + strconv.Itoa(year)
}

// methodURL names key in proofs: the issuer's DID, with the key as fragment.
func (s *Service) methodURL(pub ed25519.PublicKey) string {
	return s.DID() + "#" + Multikey(pub)
}

// instant writes a stored date (midnight UTC) as a VC dateTimeStamp.
func instant(day time.Time) string { return Day(day).Format(time.RFC3339) }
