package identity

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/i18n"
)

// PasswordChange is a user's request to change their own password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password" form:"current_password" audit:"-"`
	NewPassword     string `json:"new_password" form:"new_password" audit:"-"`
}

// ChangePassword sets the actor's own password after checking the current
// one. Every other session and every token of the user ends; the caller
// renews its own session.
func (s *Service) ChangePassword(ctx context.Context, actor access.Actor, in PasswordChange) (*User, error) {
	if actor.UserID == "" {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.checkOwnPassword(ctx, u, "current_password", in.CurrentPassword, actor.IP); err != nil {
		return nil, err
	}
	if in.NewPassword == in.CurrentPassword {
		return nil, apperr.Invalid(apperr.Field("new_password", "password.unchanged"))
	}
	hash, err := s.policyHash(ctx, "new_password", u, in.NewPassword)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.setPassword(tx, u.ID, hash); err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.password_change", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}

// policyHash checks a new password of u against the policy and hashes it.
func (s *Service) policyHash(ctx context.Context, field string, u *User, pw string) (string, error) {
	mfa, err := s.HasSecondFactor(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if err := s.CheckPassword(ctx, field, pw, PasswordContext{Email: u.Email, Names: []string{u.FullName, u.FullNameLatin},
		AgencyID: u.AgencyID, HasSecondFactor: mfa}); err != nil {
		return "", err
	}
	return HashPassword(pw)
}

// setPassword stores a new password hash, ends every session, token and
// unused password link and lifts a lock: the person proved who they are.
func (s *Service) setPassword(tx *gorm.DB, userID, hash string) error {
	if err := s.endPasswordLinks(tx, userID); err != nil {
		return err
	}
	return tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"password_hash": hash, "must_change_password": false, "failed_logins": 0, "locked_until": nil,
		"session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": s.now(),
	}).Error
}

// endPasswordLinks spends every unused reset or invitation link of a person.
func (s *Service) endPasswordLinks(tx *gorm.DB, userID string) error {
	return tx.Model(&PasswordToken{}).Where("user_id = ? AND used_at IS NULL", userID).Update("used_at", s.now()).Error
}

// ResetPassword ends a person's password, sessions and tokens and e-mails
// them a link to choose a new one. Agency admins of the person's agency and
// admins only; the person's second factor stays.
func (s *Service) ResetPassword(ctx context.Context, actor access.Actor, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadAdministered(tx, actor, id)
		if err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": unusableHash, "must_change_password": false, "failed_logins": 0, "locked_until": nil,
			"session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": s.now(),
		}).Error; err != nil {
			return err
		}
		if err := s.record(tx, actor, audit.Entry{Action: "user.password_reset", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID}); err != nil {
			return err
		}
		return s.sendPasswordLink(tx, actor, u, purposeReset)
	})
}

// loadAdministered reads, for update, a person the actor administers and
// outranks: their agency's agency admin or an admin, never themselves.
func loadAdministered(tx *gorm.DB, actor access.Actor, id string) (*User, error) {
	u, err := loadUser(tx, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanAdministerAgency(u.AgencyID) {
		return nil, apperr.NotFound()
	}
	if !actor.CanEdit(u.RoleNames()) || u.ID == actor.UserID {
		return nil, &apperr.Error{Code: apperr.CodeForbidden, Key: "user.outranks_you"}
	}
	return u, nil
}

// SetLanguage stores the actor's preferred language.
func (s *Service) SetLanguage(ctx context.Context, actor access.Actor, lang string) error {
	if !i18n.Supported(lang) {
		return apperr.Invalid(apperr.Field("language", "validation.oneof", "Values", "en, ru, tg, fa"))
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", actor.UserID).Updates(map[string]any{"language": lang, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.language", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID,
			Details: map[string]any{"language": lang}})
	})
}

// Bootstrap creates a user from the command line (the first admin). With a
// password given, it is the user's own and need not be changed.
func (s *Service) Bootstrap(ctx context.Context, in UserInput) (*CreatedUser, error) {
	actor := access.System()
	own := in.Password != ""
	if in.AgencyID == "" {
		var a Agency
		if err := s.DB.WithContext(ctx).Order("created_at").Take(&a).Error; err != nil {
			return nil, apperr.Invalid(apperr.Field("agency_id", "user.no_agency_yet"))
		}
		in.AgencyID = a.ID
	}
	generated := ""
	if !own { // the command line has no mail: it prints a one-time password instead
		generated = GeneratePassword()
		in.Password = generated
	}
	cu, err := s.CreateUser(ctx, actor, in)
	if err != nil || !own {
		if cu != nil {
			cu.InitialPassword = generated
		}
		return cu, err
	}
	err = s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", cu.ID).Update("must_change_password", false).Error
	cu.MustChangePassword = false
	return cu, err
}
