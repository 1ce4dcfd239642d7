package certify

import (
	"context"
	"crypto/ed25519"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/i18n"
	"muster/internal/secret"
)

// DefaultPrefix starts certificate numbers when no prefix is configured.
const DefaultPrefix = "MUS"

// Service records attendance and results, completes cohorts, and issues,
// lists, verifies, revokes and prints certificates. Each change is one
// transaction with its audit events.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
	// BaseURL is the public address verification URLs start with (MUSTER_BASE_URL).
	BaseURL string
	// Prefix starts every certificate number (MUSTER_CERT_PREFIX, default MUS).
	Prefix string
	// RecertWindowDays is how long before expiry a holder may renew (MUSTER_RECERT_WINDOW_DAYS).
	RecertWindowDays int
	// Printer turns certificate and transcript HTML into PDF (a *Printer);
	// nil answers pdf_unavailable.
	Printer HTMLPrinter
	// Messages translates printed documents; loaded on first use when nil.
	Messages *i18n.Catalog
	// SigningSeed is the Ed25519 seed that signs credentials (MUSTER_SIGNING_KEY);
	// when empty, a key kept in signing_keys is used, generated on first use.
	SigningSeed []byte
	// IssuerName names the issuer in credentials; DefaultIssuerName when empty.
	IssuerName string
	// Secrets seals generated signing keys in the database (MUSTER_SECRET_KEY);
	// nil stores them in the clear.
	Secrets *secret.Box
	// RequireSealedKeys refuses to store a generated key in the clear (an
	// https MUSTER_BASE_URL without MUSTER_SECRET_KEY).
	RequireSealedKeys bool
	// Enrollments and Cohorts change the rows a completion and a result
	// touch; wired in internal/app.
	Enrollments Enrollments
	Cohorts     Cohorts
	// Announcer tells other systems of issued and revoked certificates
	// (webhooks), inside the same transaction; nil tells nobody.
	Announcer Announcer

	messagesOnce sync.Once
	keyMu        sync.Mutex
	key          ed25519.PrivateKey // the stored signing key last read
	keyID        string             // its id, to notice a rotation
}

// HTMLPrinter prints an HTML document to PDF.
type HTMLPrinter interface {
	Print(ctx context.Context, html []byte) ([]byte, error)
	Close()
}

// Close stops the PDF printer's browser, if one was started.
func (s *Service) Close() error {
	if s.Printer != nil {
		s.Printer.Close()
	}
	return nil
}

// today is the current calendar day, as midnight UTC.
func (s *Service) today() time.Time { return clock.Today(s.Clock) }

// Day truncates t to its calendar day in UTC, the form dates are stored in.
func Day(t time.Time) time.Time { return clock.Day(t) }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func (s *Service) prefix() string {
	if s.Prefix == "" {
		return DefaultPrefix
	}
	return s.Prefix
}

// VerificationURL is the public address at which a certificate's code is checked.
func (s *Service) VerificationURL(code string) string {
	return strings.TrimRight(s.BaseURL, "/") + "/verify/" + code
}

func (s *Service) messages() *i18n.Catalog {
	s.messagesOnce.Do(func() {
		if s.Messages == nil {
			s.Messages = i18n.MustLoad()
		}
	})
	return s.Messages
}

// Announcer hears of certificates issued and revoked, inside the
// transaction that issues or revokes them.
type Announcer interface {
	CertificateIssued(tx *gorm.DB, c Certificate, holderAgencyID string) error
	CertificateRevoked(tx *gorm.DB, c Certificate, holderAgencyID string) error
}
