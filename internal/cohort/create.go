package cohort

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// Create schedules a cohort of a published course, hosted by the actor's
// agency (an admin names the host with HostAgencyID). Only coordinators and
// admins may; it starts as a draft unless Status says open.
func (s *Service) Create(ctx context.Context, actor access.Actor, in CohortInput) (*Cohort, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if !actor.IsAdmin() && (actor.AgencyID == "" || !actor.Has(access.Coordinator)) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.normalize()
	var out *Cohort
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p, fields, err := resolve(tx, in, "")
		if err != nil {
			return err
		}
		hostFields, err := settleHost(tx, actor, &p.in)
		if err != nil {
			return err
		}
		fields = append(fields, hostFields...)
		if p.in.Code != "" && !hasField(fields, "code") {
			taken, err := codeTaken(tx, p.in.Code, "")
			if err != nil {
				return err
			}
			if taken {
				fields = append(fields, apperr.Field("code", KeyCodeTaken, "Code", p.in.Code))
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid(fields...)
		}
		now := db.Now(tx, s.Clock)
		c := &Cohort{ID: newID(), HostAgencyID: p.in.HostAgencyID, Status: p.in.Status, CreatedAt: now}
		p.applyTo(c, now)
		if err := tx.Create(c).Error; err != nil {
			if db.IsDuplicate(err) {
				return apperr.Invalid(apperr.Field("code", KeyCodeTaken, "Code", p.in.Code))
			}
			return err
		}
		out = c
		return audit.Record(tx, now, actor, audit.Entry{Action: "cohort.create", SubjectType: "cohort", SubjectID: c.ID,
			AgencyID: c.HostAgencyID, Details: p.in})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// applyTo writes the plan's values into c.
func (p *plan) applyTo(c *Cohort, now time.Time) {
	c.Code, c.CourseID, c.Language = p.in.Code, p.courseID, p.in.Language
	c.VenueID = nil
	if p.venue != nil {
		id := p.venue.ID
		c.VenueID = &id
	}
	c.StartsOn, c.EndsOn, c.TimeZone = p.startsOn, p.endsOn, p.in.TimeZone
	c.Capacity, c.RequiresApproval = p.in.Capacity, p.in.RequiresApproval
	c.EnrollmentOpensAt, c.EnrollmentClosesAt = p.opensAt, p.closesAt
	c.UpdatedAt = now
}

// settleHost decides the host agency of a new cohort: the actor's own, or
// for an admin the one named, which must exist.
func settleHost(tx *gorm.DB, actor access.Actor, in *CohortInput) ([]apperr.FieldError, error) {
	if !actor.IsAdmin() {
		if in.HostAgencyID != "" && in.HostAgencyID != actor.AgencyID {
			return []apperr.FieldError{apperr.Field("host_agency_id", KeyHostNotAllowed)}, nil
		}
		in.HostAgencyID = actor.AgencyID
		return nil, nil
	}
	if in.HostAgencyID == "" {
		in.HostAgencyID = actor.AgencyID
	}
	if in.HostAgencyID == "" {
		return []apperr.FieldError{apperr.Field("host_agency_id", "validation.required")}, nil
	}
	ok, err := agencyExists(tx, in.HostAgencyID)
	if err != nil || ok {
		return nil, err
	}
	return []apperr.FieldError{apperr.Field("host_agency_id", KeyAgencyUnknown)}, nil
}

// codeTaken reports whether a cohort other than selfID has code.
func codeTaken(tx *gorm.DB, code, selfID string) (bool, error) {
	q := tx.Model(&Cohort{}).Where("code = ?", code)
	if selfID != "" {
		q = q.Where("id <> ?", selfID)
	}
	var n int64
	err := q.Count(&n).Error
	return n > 0, err
}
