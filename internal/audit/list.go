package audit

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/clock"
	"muster/internal/paging"
)

// Service reads, verifies and archives the audit trail, and records the
// events that belong to no other capability's change (refused access).
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return time.Now().UTC()
	}
	return s.Clock.Now()
}

// Filter narrows the audit trail.
type Filter struct {
	Actor    string    `form:"actor"`   // actor user id
	Action   string    `form:"action"`  // exact action, or a prefix ending in "." such as "user."
	Subject  string    `form:"subject"` // subject id
	AgencyID string    `form:"agency"`
	From     time.Time `form:"from" time_format:"2006-01-02"`
	To       time.Time `form:"to" time_format:"2006-01-02"` // inclusive day
	paging.Params
}

// List returns events newest first. Admins read every agency's; agency
// admins, coordinators and hr read their own agency's only.
func (s *Service) List(ctx context.Context, actor access.Actor, f Filter) (paging.Page[Event], error) {
	p := f.Params.Normalize()
	if !actor.IsAdmin() {
		if !actor.HasAny(access.PersonnelRoles...) {
			return paging.Page[Event]{}, apperr.New(apperr.CodeForbidden)
		}
		f.AgencyID = actor.AgencyID
	}
	tx := s.DB.WithContext(ctx).Model(&Event{})
	if f.AgencyID != "" {
		tx = tx.Where("agency_id = ?", f.AgencyID)
	}
	if f.Actor != "" {
		tx = tx.Where("actor_id = ?", f.Actor)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			tx = tx.Where("action LIKE ?", f.Action+"%")
		} else {
			tx = tx.Where("action = ?", f.Action)
		}
	}
	if f.Subject != "" {
		tx = tx.Where("subject_id = ?", f.Subject)
	}
	if !f.From.IsZero() {
		tx = tx.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		tx = tx.Where("at < ?", f.To.UTC().AddDate(0, 0, 1))
	}
	var total int64
	if err := tx.Count(&total).Error; err != nil {
		return paging.Page[Event]{}, err
	}
	var events []Event
	err := tx.Order("at DESC, id DESC").Limit(p.PerPage).Offset(p.Offset()).Find(&events).Error
	return paging.New(events, total, p), err
}
