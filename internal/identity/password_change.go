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
// one. Every other session of the user ends; the caller renews its own.
func (s *Service) ChangePassword(ctx context.Context, actor access.Actor, in PasswordChange) (*User, error) {
	if actor.UserID == "" {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if ok, _ := VerifyPassword(u.PasswordHash, in.CurrentPassword); !ok {
		return nil, apperr.Invalid(apperr.Field("current_password", "password.current_wrong"))
	}
	if err := CheckPassword("new_password", in.NewPassword); err != nil {
		return nil, err
	}
	if in.NewPassword == in.CurrentPassword {
		return nil, apperr.Invalid(apperr.Field("new_password", "password.unchanged"))
	}
	hash, err := HashPassword(in.NewPassword)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": false, "session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": s.now(),
		}).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.password_change", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}

// ResetPassword gives a user a one-time password that they must change at
// their next sign-in, and ends their sessions. Admins only.
func (s *Service) ResetPassword(ctx context.Context, actor access.Actor, id string) (string, error) {
	if !actor.IsAdmin() {
		return "", apperr.NotFound()
	}
	pw := GeneratePassword()
	hash, err := HashPassword(pw)
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadUser(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": true, "failed_logins": 0, "locked_until": nil,
			"session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": s.now(),
		}).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.password_reset", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	})
	if err != nil {
		return "", err
	}
	return pw, nil
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
	cu, err := s.CreateUser(ctx, actor, in)
	if err != nil || !own {
		return cu, err
	}
	err = s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", cu.ID).Update("must_change_password", false).Error
	cu.MustChangePassword = false
	return cu, err
}
