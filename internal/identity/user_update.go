package identity

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// UserPatch changes some of a user's fields; nil fields stay as they are.
type UserPatch struct {
	Email         *string   `json:"email" validate:"omitempty,email,max=254,noreorder"`
	FullName      *string   `json:"full_name" validate:"omitempty,notblank,max=200,noreorder"`
	FullNameLatin *string   `json:"full_name_latin" validate:"omitempty,max=200,noreorder"`
	Rank          *string   `json:"rank" validate:"omitempty,max=100,noreorder"`
	ServiceNumber *string   `json:"service_number" validate:"omitempty,max=50"`
	AgencyID      *string   `json:"agency_id" validate:"omitempty,uuid"`
	Roles         *[]string `json:"roles" validate:"omitempty,min=1,unique,dive,oneof=admin coordinator instructor hr trainee"`
	Language      *string   `json:"language" validate:"omitempty,oneof=en ru tg fa"`
	Disabled      *bool     `json:"disabled"`
}

// UpdateUser applies a patch within the actor's scope. Disabling a user or
// changing their roles ends their sessions.
func (s *Service) UpdateUser(ctx context.Context, actor access.Actor, id string, p UserPatch) (*User, error) {
	trim := func(sp *string) {
		if sp != nil {
			*sp = plaintext.Line(*sp)
		}
	}
	trim(p.Email)
	trim(p.FullName)
	trim(p.FullNameLatin)
	trim(p.Rank)
	trim(p.ServiceNumber)
	if err := validate.Struct(p); err != nil {
		return nil, err
	}
	var u *User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if u, err = loadUser(tx, id); err != nil {
			return err
		}
		if !actor.CanManagePersonnel(u.AgencyID) {
			return apperr.NotFound()
		}
		before := userView(u)
		if err := s.applyPatch(tx, actor, u, p); err != nil {
			return err
		}
		after := userView(u)
		if err := s.saveUser(tx, u); err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: userAction(before, after), SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: audit.Diff(before, after)})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}

// userAction names the change: disabling and role changes get their own
// actions so the audit trail can be filtered for them.
func userAction(before, after userAudit) string {
	switch {
	case !before.Disabled && after.Disabled:
		return "user.disable"
	case before.Disabled && !after.Disabled:
		return "user.enable"
	case strings.Join(before.Roles, ",") != strings.Join(after.Roles, ","):
		return "user.role_change"
	}
	return "user.update"
}

func (s *Service) applyPatch(tx *gorm.DB, actor access.Actor, u *User, p UserPatch) error {
	if p.Email != nil {
		u.Email, u.EmailKey = *p.Email, emailKey(*p.Email)
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.FullName, p.FullName)
	set(&u.FullNameLatin, p.FullNameLatin)
	set(&u.Rank, p.Rank)
	set(&u.ServiceNumber, p.ServiceNumber)
	set(&u.Language, p.Language)
	if p.AgencyID != nil && *p.AgencyID != u.AgencyID {
		if !actor.IsAdmin() {
			return apperr.Invalid(apperr.Field("agency_id", "user.agency_out_of_scope"))
		}
		u.AgencyID = *p.AgencyID
		var n int64
		if err := tx.Model(&Agency{}).Where("id = ?", u.AgencyID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.Invalid(apperr.Field("agency_id", "user.unknown_agency"))
		}
		u.SessionEpoch++
	}
	if p.Roles != nil {
		if err := checkGrant(actor, u.RoleNames(), *p.Roles); err != nil {
			return err
		}
		u.Roles = u.Roles[:0]
		for _, r := range *p.Roles {
			u.Roles = append(u.Roles, UserRole{UserID: u.ID, Role: r})
		}
		u.SessionEpoch++
	}
	if p.Disabled != nil {
		if *p.Disabled && u.ID == actor.UserID {
			return apperr.Invalid(apperr.Field("disabled", "user.cannot_disable_self"))
		}
		if *p.Disabled && u.DisabledAt == nil {
			now := s.now()
			u.DisabledAt = &now
			u.SessionEpoch++
		} else if !*p.Disabled {
			u.DisabledAt = nil
		}
	}
	// A non-admin may not edit an admin at all: that would be a way to take over one.
	if !actor.IsAdmin() && hasRole(u, access.Admin) {
		return apperr.New(apperr.CodeForbidden)
	}
	return uniqueUserFields(tx, u)
}

func hasRole(u *User, role string) bool {
	for _, r := range u.Roles {
		if r.Role == role {
			return true
		}
	}
	return false
}

// saveUser writes the user's columns and replaces their roles.
func (s *Service) saveUser(tx *gorm.DB, u *User) error {
	u.UpdatedAt = s.now()
	if err := tx.Omit("Roles", "Agency").Save(u).Error; err != nil {
		return err
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&UserRole{}).Error; err != nil {
		return err
	}
	if len(u.Roles) == 0 {
		return nil
	}
	return tx.Create(&u.Roles).Error
}
