package roster

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/clock"
)

// EventSource adds events to a user's own calendar feed; the enrollment
// capability adds the sessions of the cohorts a trainee is enrolled in.
type EventSource func(ctx context.Context, userID string) ([]CalendarEvent, error)

// Service runs instructor profiles, assignments, the conflict rules and
// calendar feeds. Each change is one transaction with its audit event.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
	// ExtraEvents are added to every user's own feed (GET /api/v1/me/calendar.ics
	// and the tokenised feed); events with a UID already present are dropped.
	ExtraEvents []EventSource
}

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func validID(id string) bool { return uuid.Validate(id) == nil }
