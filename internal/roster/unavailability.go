package roster

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// MaxUnavailability bounds one reported period.
const MaxUnavailability = 366 * 24 * time.Hour

// UnavailabilityInput is the body of POST /api/v1/instructors/{id}/unavailability.
// Instants are RFC 3339, or wall-clock times in TimeZone.
type UnavailabilityInput struct {
	StartsAt string `json:"starts_at" form:"starts_at" validate:"required"`
	EndsAt   string `json:"ends_at" form:"ends_at" validate:"required"`
	Reason   string `json:"reason" form:"reason" validate:"max=300"`
	TimeZone string `json:"time_zone,omitempty" form:"time_zone" validate:"max=64"`
}

// AddUnavailability records a period the instructor cannot teach: the
// instructor themself, coordinators of their agency and admins. It is
// accepted even over sessions already assigned; the cohorts' conflicts
// reports then list them.
func (s *Service) AddUnavailability(ctx context.Context, actor access.Actor, id string, in UnavailabilityInput) (*Unavailability, error) {
	var out *Unavailability
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p, err := visiblePerson(tx, actor, id)
		if err != nil {
			return err
		}
		if actor.UserID != id && !canManage(actor, p.AgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		u, err := checkPeriod(in)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		if err := lockProfile(tx, id, now); err != nil {
			return err
		}
		u.ID, u.UserID, u.CreatedAt = newID(), id, now
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		out = u
		return audit.Record(tx, now, actor, audit.Entry{Action: "instructor.unavailable", SubjectType: "user", SubjectID: id,
			AgencyID: p.AgencyID, Details: u})
	})
	return out, err
}

// RemoveUnavailability deletes a reported period.
func (s *Service) RemoveUnavailability(ctx context.Context, actor access.Actor, id, periodID string) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p, err := visiblePerson(tx, actor, id)
		if err != nil {
			return err
		}
		if actor.UserID != id && !canManage(actor, p.AgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		if !validID(periodID) {
			return apperr.NotFound()
		}
		res := tx.Where("id = ? AND user_id = ?", periodID, id).Delete(&Unavailability{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound()
		}
		return audit.Record(tx, db.Now(tx, s.Clock), actor, audit.Entry{Action: "instructor.available", SubjectType: "user", SubjectID: id,
			AgencyID: p.AgencyID, Details: map[string]string{"unavailability_id": periodID}})
	})
}

// checkPeriod validates a period's input and reads its instants.
func checkPeriod(in UnavailabilityInput) (*Unavailability, error) {
	in.Reason = plaintext.Line(in.Reason)
	fields := fieldsOf(validate.Struct(in))
	var loc *time.Location
	if z := strings.TrimSpace(in.TimeZone); z != "" {
		l, ok := cohort.LoadZone(z)
		if !ok {
			fields = append(fields, apperr.Field("time_zone", "validation.timezone"))
		}
		loc = l
	}
	starts, okS := instant(&fields, "starts_at", in.StartsAt, loc)
	ends, okE := instant(&fields, "ends_at", in.EndsAt, loc)
	if okS && okE {
		switch {
		case !ends.After(starts):
			fields = append(fields, apperr.Field("ends_at", KeyPeriodOrder))
		case ends.Sub(starts) > MaxUnavailability:
			fields = append(fields, apperr.Field("ends_at", KeyPeriodTooLong, "Days", 366))
		}
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	return &Unavailability{StartsAt: starts, EndsAt: ends, Reason: in.Reason}, nil
}

// instant parses one instant field, adding its message to fields.
func instant(fields *[]apperr.FieldError, field, value string, loc *time.Location) (time.Time, bool) {
	if strings.TrimSpace(value) == "" {
		return time.Time{}, false
	}
	t, ok, gap := cohort.ParseInstant(value, loc)
	switch {
	case gap:
		*fields = append(*fields, apperr.Field(field, "cohort.time_in_gap", "Zone", loc.String()))
	case !ok && loc == nil:
		*fields = append(*fields, apperr.Field(field, KeyZoneNeeded, "Example", "2026-05-10T09:00:00+03:30"))
	case !ok:
		*fields = append(*fields, apperr.Field(field, KeyInstant, "Example", "2026-05-10T09:00"))
	}
	return t, ok
}
