package cohort

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
)

// SeatWatcher is told, inside the transaction of the change, when seats may
// have freed or a cohort was cancelled.
type SeatWatcher interface {
	SeatsFreed(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string) error
	CohortCancelled(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string) error
}

// ScheduleWatcher is told, inside the transaction of the change, when a
// session's instants or room changed, so the people assigned to it can be
// checked against the new time.
type ScheduleWatcher interface {
	SessionChanged(ctx context.Context, tx *gorm.DB, actor access.Actor, c *Cohort, s *Session) error
}

// Service runs venues, cohorts, quotas and schedules. Each change is one
// transaction with its audit event.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
	// Seats hears of freed seats and cancellations (enrollment); may be nil.
	Seats SeatWatcher
	// Schedule hears of moved sessions (roster); may be nil.
	Schedule ScheduleWatcher
}

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

func (s *Service) seatsFreed(ctx context.Context, tx *gorm.DB, actor access.Actor, id string) error {
	if s.Seats == nil {
		return nil
	}
	return s.Seats.SeatsFreed(ctx, tx, actor, id)
}

func (s *Service) cancelled(ctx context.Context, tx *gorm.DB, actor access.Actor, id string) error {
	if s.Seats == nil {
		return nil
	}
	return s.Seats.CohortCancelled(ctx, tx, actor, id)
}

// newID gives time-ordered ids, which keep primary key indexes compact.
func newID() string { return uuid.Must(uuid.NewV7()).String() }
