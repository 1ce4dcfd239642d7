package catalog

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// Create adds a course owned by the actor's agency (an admin may name
// another with OwnerAgencyID). Only coordinators and admins may; field
// messages cover the input, a taken code, unknown prerequisites and cycles.
func (s *Service) Create(ctx context.Context, actor access.Actor, in CourseInput) (*Course, error) {
	var out *Course
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := s.create(tx, actor, in)
		out = c
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// create is Create inside the caller's transaction (also used by SeedDemo).
func (s *Service) create(tx *gorm.DB, actor access.Actor, in CourseInput) (*Course, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	// A coordinator without an agency has no catalogue to manage.
	if !actor.IsAdmin() && (actor.AgencyID == "" || !actor.CanManageCatalog(actor.AgencyID)) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.normalize()
	in.OwnerAgencyID = strings.ToLower(in.OwnerAgencyID)
	fields, err := in.check()
	if err != nil {
		return nil, err
	}
	ownerFields, err := settleOwner(tx, actor, &in)
	if err != nil {
		return nil, err
	}
	fields = append(fields, ownerFields...)
	if !hasField(fields, "code") {
		taken, err := codeTaken(tx, in.Code, "")
		if err != nil {
			return nil, err
		}
		if taken {
			fields = append(fields, apperr.Field("code", KeyCodeTaken, "Code", in.Code))
		}
	}
	var prereqIDs []string
	if !hasField(fields, "prerequisites") {
		ids, pf, err := checkPrerequisites(tx, actor, "", &in, nil)
		if err != nil {
			return nil, err
		}
		prereqIDs, fields = ids, append(fields, pf...)
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	in.sortLists()
	now := db.Now(tx, s.Clock)
	c := &Course{}
	if err := writeCourse(tx, c, in, prereqIDs, now); err != nil {
		return nil, err
	}
	err = audit.Record(tx, now, actor, audit.Entry{
		Action: "course.create", SubjectType: "course", SubjectID: c.ID,
		AgencyID: c.OwnerAgencyID, Details: in,
	})
	return c, err
}

// settleOwner decides the owning agency of a new course: the actor's own, or
// for an admin the one named in the input, which must exist.
func settleOwner(tx *gorm.DB, actor access.Actor, in *CourseInput) ([]apperr.FieldError, error) {
	if !actor.IsAdmin() {
		if in.OwnerAgencyID != "" && in.OwnerAgencyID != actor.AgencyID {
			return []apperr.FieldError{apperr.Field("owner_agency_id", KeyOwnerAgencyNotAllowed)}, nil
		}
		in.OwnerAgencyID = actor.AgencyID
		return nil, nil
	}
	if in.OwnerAgencyID == "" {
		in.OwnerAgencyID = actor.AgencyID
	}
	return checkAgency(tx, in.OwnerAgencyID)
}

// checkAgency requires a well-formed id of an existing agency.
func checkAgency(tx *gorm.DB, id string) ([]apperr.FieldError, error) {
	if id == "" {
		return []apperr.FieldError{apperr.Field("owner_agency_id", "validation.required")}, nil
	}
	if err := uuid.Validate(id); err != nil {
		return nil, nil // the uuid tag has already reported it
	}
	ok, err := agencyExists(tx, id)
	if err != nil || ok {
		return nil, err
	}
	return []apperr.FieldError{apperr.Field("owner_agency_id", KeyUnknownAgency)}, nil
}
