package enrollment

import (
	"context"
	"errors"
	"muster/internal/db"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/clock"
)

// Service is the enrollment capability: requests, nominations, decisions,
// the waitlist and its promotions. Every change is one transaction that
// locks the cohort's row first, with its audit events.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
	// RecertWindowDays is how many days before a certificate expires its
	// holder may enroll in the course again (MUSTER_RECERT_WINDOW_DAYS, 90 by
	// default); 0 means only once it has expired.
	RecertWindowDays int
	// Notifier tells trainees what happened to their enrollment; nil tells nobody.
	Notifier Notifier
}

// today is the current calendar day in UTC, as dates are stored.
func (s *Service) today() time.Time { return clock.Today(s.Clock) }

func (s *Service) recertWindow() int { return max(0, s.RecertWindowDays) }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func (s *Service) record(tx *gorm.DB, actor access.Actor, e audit.Entry) error {
	return audit.Record(tx, db.Now(tx, s.Clock), actor, e)
}

// newID gives time-ordered ids, which keep primary key indexes compact.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether id can be a stored id: PostgreSQL refuses a
// malformed uuid with an error rather than finding nothing.
func validID(id string) bool { return uuid.Validate(id) == nil }

// errRollback ends a transaction that only previewed its changes.
var errRollback = errors.New("preview: roll back")
