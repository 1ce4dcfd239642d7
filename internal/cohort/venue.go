package cohort

import (
	"context"
	"muster/internal/clock"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/paging"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// VenueInput is a whole venue as a client sends it: the body of
// POST /api/v1/venues and PATCH /api/v1/venues/{id}, and the venue form.
type VenueInput struct {
	Name     string `json:"name" form:"name" validate:"notblank,max=200,noreorder"`
	City     string `json:"city" form:"city" validate:"max=100"`
	Country  string `json:"country" form:"country" validate:"required,iso3166_1_alpha2"`
	Address  string `json:"address" form:"address" validate:"max=500"`
	Capacity int    `json:"capacity" form:"capacity" validate:"min=1,max=10000"`
	TimeZone string `json:"time_zone" form:"time_zone" validate:"required"`
	// Names are the venue's name per language, beside the default Name.
	Names i18n.Names `json:"names,omitempty" form:"-" validate:"max=4,dive,keys,oneof=en ru tg fa,endkeys,max=200,noreorder"`
	// OwnerAgencyID is for admins; a coordinator's venues belong to their agency.
	OwnerAgencyID string `json:"owner_agency_id,omitempty" form:"owner_agency_id" validate:"omitempty,uuid"`
}

func (in *VenueInput) normalize() {
	in.Name = plaintext.Line(in.Name)
	in.City = plaintext.Line(in.City)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Address = plaintext.Line(in.Address)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Names = in.Names.Normalized(plaintext.Line)
	in.OwnerAgencyID = strings.ToLower(strings.TrimSpace(in.OwnerAgencyID))
}

// check validates the input and its time zone.
func (in *VenueInput) check() []apperr.FieldError {
	fields := fieldsOf(validate.Struct(in))
	if in.TimeZone != "" {
		if _, ok := LoadZone(in.TimeZone); !ok {
			fields = append(fields, apperr.Field("time_zone", "validation.timezone"))
		}
	}
	return fields
}

// canEditVenues reports whether actor may add venues at all.
func canEditVenues(actor access.Actor) bool {
	return actor.IsAdmin() || (actor.AgencyID != "" && actor.Has(access.Coordinator))
}

// Venues lists every venue, by country, city and name; coordinators and
// admins of any agency may, as partners host each other.
func (s *Service) Venues(ctx context.Context, actor access.Actor, p paging.Params) (paging.Page[Venue], error) {
	if !actor.SignedIn() {
		return paging.Page[Venue]{}, apperr.New(apperr.CodeUnauthorized)
	}
	if !canEditVenues(actor) {
		return paging.Page[Venue]{}, apperr.New(apperr.CodeForbidden)
	}
	p = p.Normalize()
	var total int64
	q := s.db(ctx).Model(&Venue{})
	if err := q.Count(&total).Error; err != nil {
		return paging.Page[Venue]{}, err
	}
	var vs []Venue
	err := s.db(ctx).Order("country, city, name").Limit(p.PerPage).Offset(p.Offset()).Find(&vs).Error
	return paging.New(vs, total, p), err
}

// Venue returns one venue to those who may list venues.
func (s *Service) Venue(ctx context.Context, actor access.Actor, id string) (*Venue, error) {
	if !canEditVenues(actor) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	return venueByID(s.db(ctx), id, false)
}

// CreateVenue adds a venue owned by the actor's agency (an admin may name another).
func (s *Service) CreateVenue(ctx context.Context, actor access.Actor, in VenueInput) (*Venue, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if !canEditVenues(actor) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.normalize()
	fields := in.check()
	if !actor.IsAdmin() || in.OwnerAgencyID == "" {
		if in.OwnerAgencyID != "" && in.OwnerAgencyID != actor.AgencyID {
			fields = append(fields, apperr.Field("owner_agency_id", KeyHostNotAllowed))
		}
		in.OwnerAgencyID = actor.AgencyID
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	now := clock.Now(s.Clock)
	v := &Venue{ID: newID(), OwnerAgencyID: in.OwnerAgencyID, CreatedAt: now}
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		if in.OwnerAgencyID == "" {
			return apperr.Invalid(apperr.Field("owner_agency_id", "validation.required"))
		}
		if ok, err := agencyExists(tx, in.OwnerAgencyID); err != nil || !ok {
			if err == nil {
				err = apperr.Invalid(apperr.Field("owner_agency_id", KeyAgencyUnknown))
			}
			return err
		}
		v.apply(in, now)
		if err := tx.Create(v).Error; err != nil {
			return err
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "venue.create", SubjectType: "venue", SubjectID: v.ID, AgencyID: v.OwnerAgencyID, Details: in})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// UpdateVenue replaces a venue's details: admins and coordinators of the
// owning agency. Its capacity may not drop below that of a cohort still
// running there.
func (s *Service) UpdateVenue(ctx context.Context, actor access.Actor, id string, in VenueInput) (*Venue, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	in.normalize()
	var out *Venue
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		v, err := venueByID(tx, id, true)
		if err != nil {
			return err
		}
		if !actor.IsAdmin() && !(actor.Has(access.Coordinator) && actor.AgencyID == v.OwnerAgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		in.OwnerAgencyID = v.OwnerAgencyID // ownership does not move
		fields := in.check()
		if len(fields) == 0 {
			var largest int
			err := tx.Model(&Cohort{}).Where("venue_id = ? AND status NOT IN ?", v.ID, []string{StatusCompleted, StatusCancelled}).
				Select("COALESCE(MAX(capacity), 0)").Scan(&largest).Error
			if err != nil {
				return err
			}
			if in.Capacity < largest {
				fields = append(fields, apperr.Field("capacity", KeyVenueCapacityTooLow, "Capacity", largest))
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid(fields...)
		}
		before := *v
		now := db.Now(tx, s.Clock)
		v.apply(in, now)
		if err := tx.Save(v).Error; err != nil {
			return err
		}
		out = v
		return audit.Record(tx, now, actor, audit.Entry{Action: "venue.update", SubjectType: "venue", SubjectID: v.ID, AgencyID: v.OwnerAgencyID, Details: audit.Diff(before, *v)})
	})
	return out, err
}

func (v *Venue) apply(in VenueInput, now time.Time) {
	v.Name, v.City, v.Country, v.Address = in.Name, in.City, in.Country, in.Address
	v.Capacity, v.TimeZone, v.Names, v.UpdatedAt = in.Capacity, in.TimeZone, in.Names, now
}

// venueByID reads a venue, locked when lock is set, or not_found.
func venueByID(tx *gorm.DB, id string, lock bool) (*Venue, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	q := tx
	if lock {
		q = db.ForUpdate(tx)
	}
	var v Venue
	err := q.Where("id = ?", id).Take(&v).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &v, err
}

// agencyExists reports whether an agency has id.
func agencyExists(tx *gorm.DB, id string) (bool, error) {
	if !validID(id) {
		return false, nil
	}
	var n int64
	err := tx.Table("agencies").Where("id = ?", id).Count(&n).Error
	return n > 0, err
}
