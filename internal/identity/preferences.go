package identity

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/validate"
)

// Calendars a person may read dates in; "" follows the language (Jalali in
// Persian, Gregorian otherwise).
var Calendars = []string{"jalali", "gregorian"}

// Preferences are what everyone sets for themselves: the body of
// PATCH /api/v1/me and the form on /me. Nil fields stay as they are; an
// empty time zone or calendar goes back to the default.
type Preferences struct {
	Language *string `json:"language" form:"language" validate:"omitempty,oneof=en ru tg fa"`
	TimeZone *string `json:"time_zone" form:"time_zone" validate:"omitempty,zone"`
	Calendar *string `json:"calendar" form:"calendar" validate:"omitempty,oneof='' jalali gregorian"`
}

func (p *Preferences) normalize() {
	for _, sp := range []*string{p.Language, p.TimeZone, p.Calendar} {
		if sp != nil {
			*sp = strings.TrimSpace(*sp)
		}
	}
}

// SetPreferences changes the actor's own language, time zone and calendar,
// recorded as user.preferences.
func (s *Service) SetPreferences(ctx context.Context, actor access.Actor, p Preferences) (*User, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	p.normalize()
	if p.Language != nil && *p.Language == "" {
		return nil, apperr.Invalid(apperr.Field("language", "validation.required"))
	}
	if err := validate.Struct(p); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadUser(tx, actor.UserID)
		if err != nil {
			return err
		}
		before := userView(u)
		for dst, src := range map[*string]*string{&u.Language: p.Language, &u.TimeZone: p.TimeZone, &u.Calendar: p.Calendar} {
			if src != nil {
				*dst = *src
			}
		}
		changes := audit.Diff(before, userView(u))
		if len(changes) == 0 {
			return nil
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"language": u.Language, "time_zone": u.TimeZone, "calendar": u.Calendar, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.preferences", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"changes": changes}})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, actor.UserID)
}

// ZoneOf is the time zone user id sees times in (see User.Zone), read in
// tx: for reminders and mail written outside a request, inside the
// transaction that queues them.
func ZoneOf(tx *gorm.DB, id string) (*time.Location, error) {
	return ZoneOr(tx, id, time.UTC)
}

// ZoneOr is user id's zone, else their agency's, else fallback: mail about
// a cohort falls back to the cohort's zone rather than UTC.
func ZoneOr(tx *gorm.DB, id string, fallback *time.Location) (*time.Location, error) {
	var u User
	err := tx.Preload("Agency").Select("id", "agency_id", "time_zone").Where("id = ?", id).Take(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return u.ZoneOr(fallback), nil
}
