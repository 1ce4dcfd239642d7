package identity

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/secret"
)

// Service is the identity capability.
type Service struct {
	DB                  *gorm.DB
	Clock               clock.Clock
	Outbox              Outbox        // invitations and reset links; none in tests that send no mail
	LockoutThreshold    int           // failed sign-ins in a row that lock the account
	LockoutDuration     time.Duration // how long the lock lasts
	AccountAttemptLimit int           // sign-in attempts per account per window
	AddressFailureLimit int           // failed sign-ins per client address per window
	MFARequiredRoles    []string      // roles that must have a second factor
	Issuer              string        // names muster in authenticator apps
	Secrets             *secret.Box   // seals authenticator secrets (MUSTER_SECRET_KEY); nil keeps them plain
}

// NewService returns a service with the default lockout, throttling and
// second-factor policy.
func NewService(gdb *gorm.DB, clk clock.Clock) *Service {
	return &Service{DB: gdb, Clock: clk, LockoutThreshold: 5, LockoutDuration: 15 * time.Minute,
		AccountAttemptLimit: accountAttempts, AddressFailureLimit: addressFailures,
		MFARequiredRoles: []string{access.Admin, access.AgencyAdmin, access.Coordinator, access.HR}, Issuer: "muster"}
}

func (s *Service) now() time.Time { return clock.Now(s.Clock) }

func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.Tx(ctx, s.DB, s.Clock, fn)
}

func (s *Service) record(tx *gorm.DB, actor access.Actor, e audit.Entry) error {
	return audit.Record(tx, s.now(), actor, e)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// emailKey is the case-insensitive form of an email that uniqueness is checked on.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// UserByID loads a user with roles and agency, regardless of scope; for
// session and token authentication.
func (s *Service) UserByID(ctx context.Context, id string) (*User, error) {
	var u User
	err := s.DB.WithContext(ctx).Preload("Roles").Preload("Agency").Where("id = ?", id).Take(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &u, err
}

// loadUser reads a user in tx, for update when the database supports it.
func loadUser(tx *gorm.DB, id string) (*User, error) {
	var u User
	err := db.ForUpdate(tx).Preload("Roles").Where("id = ?", id).Take(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &u, err
}

// Rule codes of the identity capability.
const (
	CodeMFAInvalid       = "mfa_invalid"        // a wrong or used second-factor code
	CodeMFASetupRequired = "mfa_setup_required" // the roles need a second factor that is not set up
	CodeMFARequired      = "mfa_required"       // the session has not passed its second factor
)
