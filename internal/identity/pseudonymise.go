package identity

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
)

// ActionPseudonymise is the audit action of Pseudonymise.
const ActionPseudonymise = "user.pseudonymise"

// PseudonymName is the name a pseudonymised person is shown under.
const PseudonymName = "Pseudonymised person"

// Pseudonymise replaces what identifies a disabled person (address, names,
// rank, service number) with a pseudonym made from their id, and removes
// their second factor, tokens and unused links, on the request of an admin
// or their agency's admin. Their training records, certificates and audit
// trail stay, under the pseudonym. An active person is refused: disable
// them first. As with a password reset, the actor must outrank the person:
// an agency's admin never erases a platform admin.
func (s *Service) Pseudonymise(ctx context.Context, actor access.Actor, id string) (*User, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadAdministered(tx, actor, id) // as a password reset: only whom the actor outranks
		if err != nil {
			return err
		}
		if !u.Disabled() {
			return apperr.Invalid(apperr.Field("user", "user.pseudonymise_active"))
		}
		email := pseudonymEmail(u.ID)
		if u.EmailKey == email {
			return nil // done before: nothing left to replace
		}
		err = tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"email": email, "email_key": email,
			"full_name": PseudonymName, "full_name_latin": "", "rank": "", "service_number": "", "password_hash": "",
			"session_epoch": u.SessionEpoch + 1, "updated_at": s.now()}).Error
		if err != nil {
			return err
		}
		for _, m := range []any{&TOTP{}, &RecoveryCode{}, &AccessToken{}, &PasswordToken{}} {
			if err := tx.Where("user_id = ?", u.ID).Delete(m).Error; err != nil {
				return err
			}
		}
		return s.record(tx, actor, audit.Entry{Action: ActionPseudonymise, SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// Pseudonymised reports whether Pseudonymise has replaced the person's details.
func (u *User) Pseudonymised() bool { return u.EmailKey == pseudonymEmail(u.ID) }

// pseudonymEmail is the address a pseudonymised person is left with: made
// from their id, unique, and never deliverable.
func pseudonymEmail(id string) string { return "pseudonymised-" + id + "@invalid" }
