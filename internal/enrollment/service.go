package enrollment

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
)

// defaultRetries bounds how often a transaction refused by the database for
// a transient reason (serialization, deadlock, busy file) is run again.
const defaultRetries = 8

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
	// Retries bounds re-runs of a transaction after a transient refusal; 0 means the default.
	Retries int
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	// Whole seconds: SQLite compares instants as text.
	return s.Clock.Now().UTC().Truncate(time.Second)
}

// today is the current calendar day in UTC, as dates are stored.
func (s *Service) today() time.Time {
	n := s.now()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func (s *Service) recertWindow() int { return max(0, s.RecertWindowDays) }

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func (s *Service) record(tx *gorm.DB, actor access.Actor, e audit.Entry) error {
	return audit.Record(tx, s.now(), actor, e)
}

// newID gives time-ordered ids, which keep primary key indexes compact.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// validID reports whether id can be a stored id: PostgreSQL refuses a
// malformed uuid with an error rather than finding nothing.
func validID(id string) bool { return uuid.Validate(id) == nil }

// errRollback ends a transaction that only previewed its changes.
var errRollback = errors.New("preview: roll back")

// write runs fn in one transaction, again when the database refused it for a
// transient reason, up to the retry bound. fn must not keep state between runs.
func (s *Service) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	retries := s.Retries
	if retries <= 0 {
		retries = defaultRetries
	}
	for attempt := 0; ; attempt++ {
		err := db.Tx(ctx, s.DB, fn)
		if err == nil || attempt >= retries || !transient(err) {
			return err
		}
		// Back off a little, with jitter, so retried transactions do not collide again.
		wait := time.Duration(1+rand.IntN(5<<attempt)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// transient reports whether err is a refusal that running the transaction
// again can cure: PostgreSQL's serialization failure, deadlock or lock
// timeout, and SQLite's busy or locked database.
func transient(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		switch pg.SQLState() {
		case "40001", "40P01", "55P03":
			return true
		}
		return false
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}
