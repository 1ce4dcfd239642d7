package identity

import (
	"context"
	"slices"
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
	Roles         *[]string `json:"roles" validate:"omitempty,min=1,unique,dive,oneof=admin agency_admin coordinator instructor hr trainee"`
	Language      *string   `json:"language" validate:"omitempty,oneof=en ru tg fa"`
	TimeZone      *string   `json:"time_zone" validate:"omitempty,zone"`
	Disabled      *bool     `json:"disabled"`
}

func (p *UserPatch) normalize() {
	for _, sp := range []*string{p.Email, p.FullName, p.FullNameLatin, p.Rank, p.ServiceNumber, p.TimeZone} {
		if sp != nil {
			*sp = plaintext.Line(*sp)
		}
	}
}

// UpdateUser applies a patch within the actor's scope and grants. Disabling a
// user or changing their roles or agency ends their sessions and tokens.
func (s *Service) UpdateUser(ctx context.Context, actor access.Actor, id string, p UserPatch) (*User, error) {
	p.normalize()
	if err := validate.Struct(p); err != nil {
		return nil, err
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadUser(tx, id)
		if err != nil {
			return err
		}
		if !actor.CanManagePersonnel(u.AgencyID) {
			return apperr.NotFound()
		}
		return s.changeUser(tx, actor, u, p, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// changeUser is the one path every change to a person takes, from a form,
// the API or an import row: it checks that the actor outranks the person and
// may grant what changes, applies the patch, saves it, ends sessions when
// access changed, and records the change under its own action.
func (s *Service) changeUser(tx *gorm.DB, actor access.Actor, u *User, p UserPatch, extra map[string]any) error {
	if u.ID != actor.UserID && !actor.CanEdit(u.RoleNames()) {
		return &apperr.Error{Code: apperr.CodeForbidden, Key: "user.outranks_you"}
	}
	before := userView(u)
	if err := s.applyPatch(tx, actor, u, p); err != nil {
		return err
	}
	after := userView(u)
	changes := audit.Diff(before, after)
	if len(changes) == 0 {
		return nil
	}
	if accessChanged(before, after) {
		u.SessionEpoch++ // ends every session and token of the person
	}
	if err := s.saveUser(tx, u); err != nil {
		return err
	}
	details := map[string]any{"changes": changes}
	for k, v := range extra {
		details[k] = v
	}
	return s.record(tx, actor, audit.Entry{Action: userAction(before, after), SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID, Details: details})
}

// accessChanged reports whether what the person may do changed.
func accessChanged(before, after userAudit) bool {
	return !slices.Equal(before.Roles, after.Roles) || before.AgencyID != after.AgencyID || (!before.Disabled && after.Disabled) ||
		before.Email != after.Email
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
	case before.AgencyID != after.AgencyID:
		return "user.agency_change"
	}
	return "user.update"
}

func (s *Service) applyPatch(tx *gorm.DB, actor access.Actor, u *User, p UserPatch) error {
	if p.Email != nil && emailKey(*p.Email) != u.EmailKey {
		if !mayChangeEmail(actor, u) {
			return apperr.Invalid(apperr.Field("email", "user.email_change_not_allowed"))
		}
		// Links sent to the old address must not set a password any more.
		if err := s.endPasswordLinks(tx, u.ID); err != nil {
			return err
		}
	}
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
	set(&u.TimeZone, p.TimeZone)
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
	}
	if p.Roles != nil {
		if err := checkRoles(actor, u.ID, u.RoleNames(), *p.Roles); err != nil {
			return err
		}
		u.Roles = u.Roles[:0]
		for _, r := range *p.Roles {
			u.Roles = append(u.Roles, UserRole{UserID: u.ID, Role: r})
		}
	}
	if p.Disabled != nil {
		if *p.Disabled && u.ID == actor.UserID {
			return apperr.Invalid(apperr.Field("disabled", "user.cannot_disable_self"))
		}
		if *p.Disabled && u.DisabledAt == nil {
			now := s.now()
			u.DisabledAt = &now
		} else if !*p.Disabled {
			u.DisabledAt = nil
		}
	}
	return uniqueUserFields(tx, u)
}

// mayChangeEmail: an address receives reset links, so changing it could
// hand over the account. Admins change any; agency admins change those of
// their agency's people below agency admin; nobody else, not even their own.
func mayChangeEmail(actor access.Actor, u *User) bool {
	if actor.IsAdmin() {
		return true
	}
	return u.ID != actor.UserID && actor.CanAdministerAgency(u.AgencyID) && !hasAnyRole(u, access.AgencyAdmin, access.Admin)
}

func hasAnyRole(u *User, roles ...string) bool {
	return slices.ContainsFunc(u.RoleNames(), func(r string) bool { return slices.Contains(roles, r) })
}

// checkRoles refuses role changes the actor may not make: nobody changes
// their own roles, and every role given or taken away must be one the actor
// may grant.
func checkRoles(actor access.Actor, targetID string, before, after []string) error {
	added, removed := roleDiff(before, after)
	if len(added)+len(removed) == 0 {
		return nil
	}
	if targetID != "" && targetID == actor.UserID {
		return apperr.Invalid(apperr.Field("roles", "user.cannot_change_own_roles"))
	}
	for _, r := range append(added, removed...) {
		if !actor.CanGrant(r) {
			return apperr.Invalid(apperr.Field("roles", "user.cannot_grant", "Role", r))
		}
	}
	return nil
}

// roleDiff lists the roles after has and before lacks, and the reverse.
func roleDiff(before, after []string) (added, removed []string) {
	for _, r := range after {
		if !slices.Contains(before, r) {
			added = append(added, r)
		}
	}
	for _, r := range before {
		if !slices.Contains(after, r) {
			removed = append(removed, r)
		}
	}
	return added, removed
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
