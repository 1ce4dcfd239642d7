package identity

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// AgencyKinds are the kinds of agency muster knows.
var AgencyKinds = []string{"police", "border_guard", "drug_control", "customs", "interior_ministry", "security_service", "academy", "other"}

// AgencyInput creates or replaces an agency's details.
type AgencyInput struct {
	Name      string `json:"name" form:"name" validate:"notblank,max=200,noreorder"`
	ShortName string `json:"short_name" form:"short_name" validate:"notblank,max=30,noreorder"`
	Country   string `json:"country" form:"country" validate:"required,iso3166_1_alpha2"`
	Kind      string `json:"kind" form:"kind" validate:"required,oneof=police border_guard drug_control customs interior_ministry security_service academy other"`
	// SignatoryName and SignatoryTitle are printed under the certificates the agency hosts.
	SignatoryName  string `json:"signatory_name" form:"signatory_name" validate:"max=200"`
	SignatoryTitle string `json:"signatory_title" form:"signatory_title" validate:"max=200"`
	// TimeZone is the default zone of the agency's people.
	TimeZone string `json:"time_zone" form:"time_zone" validate:"omitempty,zone"`
	// Names are the agency's name per language, beside the default Name.
	Names i18n.Names `json:"names,omitempty" form:"-" validate:"max=4,dive,keys,oneof=en ru tg fa,endkeys,max=200,noreorder"`
}

func (in *AgencyInput) normalize() {
	in.Name = plaintext.Line(in.Name)
	in.ShortName = plaintext.Line(in.ShortName)
	in.Country = strings.ToUpper(plaintext.Line(in.Country))
	in.SignatoryName = plaintext.Line(in.SignatoryName)
	in.SignatoryTitle = plaintext.Line(in.SignatoryTitle)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Names = in.Names.Normalized(plaintext.Line)
}

// ListAgencies lists every agency by name; any signed-in user may.
func (s *Service) ListAgencies(ctx context.Context, actor access.Actor) ([]Agency, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	var as []Agency
	err := s.DB.WithContext(ctx).Order("name").Find(&as).Error
	return as, err
}

// GetAgency returns one agency.
func (s *Service) GetAgency(ctx context.Context, actor access.Actor, id string) (*Agency, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	var a Agency
	err := s.DB.WithContext(ctx).Where("id = ?", id).Take(&a).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &a, err
}

// CreateAgency adds a partner agency (admins only).
func (s *Service) CreateAgency(ctx context.Context, actor access.Actor, in AgencyInput) (*Agency, error) {
	if !actor.IsAdmin() {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.normalize()
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	now := s.now()
	a := Agency{ID: newID(), Name: in.Name, ShortName: in.ShortName, Country: in.Country, Kind: in.Kind,
		SignatoryName: in.SignatoryName, SignatoryTitle: in.SignatoryTitle, TimeZone: in.TimeZone, Names: in.Names, CreatedAt: now, UpdatedAt: now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			if db.IsDuplicate(err) {
				return apperr.Invalid(apperr.Field("short_name", "agency.short_name_taken"))
			}
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "agency.create", SubjectType: "agency", SubjectID: a.ID, AgencyID: a.ID, Details: in})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateAgency replaces an agency's details (admins only).
func (s *Service) UpdateAgency(ctx context.Context, actor access.Actor, id string, in AgencyInput) (*Agency, error) {
	if !actor.IsAdmin() {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	in.normalize()
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	var a Agency
	err := s.tx(ctx, func(tx *gorm.DB) error {
		err := db.ForUpdate(tx).Where("id = ?", id).Take(&a).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		before := a
		a.Name, a.ShortName, a.Country, a.Kind, a.UpdatedAt = in.Name, in.ShortName, in.Country, in.Kind, s.now()
		a.SignatoryName, a.SignatoryTitle = in.SignatoryName, in.SignatoryTitle
		a.TimeZone, a.Names = in.TimeZone, in.Names
		if err := tx.Save(&a).Error; err != nil {
			if db.IsDuplicate(err) {
				return apperr.Invalid(apperr.Field("short_name", "agency.short_name_taken"))
			}
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "agency.update", SubjectType: "agency", SubjectID: a.ID, AgencyID: a.ID,
			Details: audit.Diff(agencyView(before), agencyView(a))})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// agencyView is what an audit diff compares: the editable fields only.
func agencyView(a Agency) AgencyInput { return a.Input() }

// Input is the agency's editable fields, the start of an edit form or a PATCH.
func (a Agency) Input() AgencyInput {
	return AgencyInput{Name: a.Name, ShortName: a.ShortName, Country: a.Country, Kind: a.Kind, SignatoryName: a.SignatoryName,
		SignatoryTitle: a.SignatoryTitle, TimeZone: a.TimeZone, Names: a.Names}
}
