package identity

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/secret"
)

// TOTP per RFC 6238 as authenticator apps expect it: SHA-1, six digits,
// 30-second steps, one step of drift either way.
const (
	totpPeriod        = 30
	totpDrift         = 1
	recoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// RequiresSecondFactor reports whether u's roles oblige a second factor.
func (s *Service) RequiresSecondFactor(u *User) bool {
	return slices.ContainsFunc(u.RoleNames(), func(r string) bool { return slices.Contains(s.MFARequiredRoles, r) })
}

// HasSecondFactor reports whether the user has a confirmed second factor.
func (s *Service) HasSecondFactor(ctx context.Context, userID string) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&TOTP{}).Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Count(&n).Error
	return n > 0, err
}

// TOTPSetup is a new, not yet confirmed authenticator secret.
type TOTPSetup struct {
	Secret     string `json:"secret"`      // base32, for typing into an app
	OtpauthURL string `json:"otpauth_url"` // for the QR code
}

// BeginTOTP makes a new authenticator secret for the actor, replacing an
// unconfirmed one. A confirmed factor must be removed first.
func (s *Service) BeginTOTP(ctx context.Context, actor access.Actor) (*TOTPSetup, error) {
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.Issuer, AccountName: u.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var have TOTP
		err := db.ForUpdate(tx).Where("user_id = ?", u.ID).Take(&have).Error
		switch {
		case err == nil && have.ConfirmedAt != nil:
			return &apperr.Error{Code: apperr.CodeConflict, Key: "mfa.already_set_up"}
		case err == nil:
			if err := tx.Delete(&have).Error; err != nil {
				return err
			}
		case !db.IsNotFound(err):
			return err
		}
		return tx.Create(&TOTP{UserID: u.ID, Secret: s.sealTOTP(u.ID, key.Secret()), CreatedAt: s.now()}).Error
	})
	if err != nil {
		return nil, err
	}
	return &TOTPSetup{Secret: key.Secret(), OtpauthURL: key.URL()}, nil
}

// ConfirmTOTP turns the pending secret into the actor's second factor when
// code matches it, and returns ten one-time recovery codes, shown once.
func (s *Service) ConfirmTOTP(ctx context.Context, actor access.Actor, code string) ([]string, error) {
	codes := make([]string, recoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var t TOTP
		err := db.ForUpdate(tx).Where("user_id = ?", actor.UserID).Take(&t).Error
		if db.IsNotFound(err) {
			return &apperr.Error{Code: apperr.CodeConflict, Key: "mfa.not_begun"}
		}
		if err != nil {
			return err
		}
		if t.ConfirmedAt != nil {
			return &apperr.Error{Code: apperr.CodeConflict, Key: "mfa.already_set_up"}
		}
		plain, err := s.openTOTP(&t)
		if err != nil {
			return err
		}
		step, ok := matchStep(plain, code, s.now(), t.LastStep)
		if !ok {
			return apperr.Invalid(apperr.Field("code", "mfa.code_wrong"))
		}
		now := s.now()
		if err := tx.Model(&TOTP{}).Where("user_id = ?", t.UserID).Updates(map[string]any{"confirmed_at": now, "last_step": step}).Error; err != nil {
			return err
		}
		// Sessions opened without the factor end; the caller renews its own.
		if err := tx.Model(&User{}).Where("id = ?", t.UserID).Update("session_epoch", gorm.Expr("session_epoch + 1")).Error; err != nil {
			return err
		}
		if err := s.replaceRecoveryCodes(tx, t.UserID, codes); err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.mfa_enable", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID,
			Details: map[string]any{"factor": "totp"}})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

func (s *Service) replaceRecoveryCodes(tx *gorm.DB, userID string, codes []string) error {
	if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
		return err
	}
	rows := make([]RecoveryCode, len(codes))
	for i, c := range codes {
		rows[i] = RecoveryCode{ID: newID(), UserID: userID, CodeHash: secret.Hash(normalizeRecovery(c))}
	}
	return tx.Create(&rows).Error
}

// newRecoveryCode is ten base32 characters (50 bits) in two groups.
func newRecoveryCode() string {
	c := strings.ToLower(secret.Base32(10))
	return c[:5] + "-" + c[5:]
}

func normalizeRecovery(c string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(c)))
}

// matchStep finds the time step within the drift at which code is valid and
// that is later than the last one accepted.
func matchStep(secretB32, code string, now time.Time, last int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / totpPeriod
	for d := int64(-totpDrift); d <= totpDrift; d++ {
		at := step + d
		if at <= last {
			continue
		}
		want, err := totp.GenerateCodeCustom(secretB32, time.Unix(at*totpPeriod, 0).UTC(), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at, true
		}
	}
	return 0, false
}

// SecondFactorInput answers the second sign-in step: a code or a recovery code.
type SecondFactorInput struct {
	Code         string `json:"code" form:"code" audit:"-"`
	RecoveryCode string `json:"recovery_code" form:"recovery_code" audit:"-"`
}

// VerifySecondFactor checks the second step of a sign-in. Wrong codes count
// against the same lockout as wrong passwords; a code is accepted once.
func (s *Service) VerifySecondFactor(ctx context.Context, userID string, in SecondFactorInput, ip string) (*User, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if len(in.Code) > 16 || len(in.RecoveryCode) > 32 {
		return nil, errMFAInvalid()
	}
	slot, err := s.reserveAttempt(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if slot == 0 {
		return nil, s.mfaRefused(ctx, u, ip, "locked")
	}
	method, ok, err := s.consumeFactor(ctx, u.ID, in)
	if err != nil {
		s.releaseAttempt(ctx, u.ID)
		return nil, err
	}
	if !ok {
		if err := s.attemptFailed(ctx, u, u.Email, ip, "bad_second_factor"); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			return nil, err
		}
		return nil, errMFAInvalid()
	}
	if err := s.attemptSucceeded(ctx, u.ID, slot, true); err != nil {
		return nil, s.mfaRefused(ctx, u, ip, "locked")
	}
	if u.Disabled() {
		return nil, s.mfaRefused(ctx, u, ip, "disabled")
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		return s.record(tx, u.Actor(ip), audit.Entry{Action: "auth.mfa", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"method": method}})
	})
	return u, err
}

// consumeFactor accepts a TOTP code for a step not used before, or an
// unused recovery code, marking it used in the same statement.
func (s *Service) consumeFactor(ctx context.Context, userID string, in SecondFactorInput) (string, bool, error) {
	gdb := s.DB.WithContext(ctx)
	if in.RecoveryCode != "" {
		res := gdb.Model(&RecoveryCode{}).Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, secret.Hash(normalizeRecovery(in.RecoveryCode))).
			Update("used_at", s.now())
		return "recovery_code", res.RowsAffected == 1, res.Error
	}
	var t TOTP
	err := gdb.Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Take(&t).Error
	if db.IsNotFound(err) {
		return "totp", false, nil
	}
	if err != nil {
		return "totp", false, err
	}
	plain, err := s.openTOTP(&t)
	if err != nil {
		return "totp", false, err
	}
	step, ok := matchStep(plain, in.Code, s.now(), t.LastStep)
	if !ok {
		return "totp", false, nil
	}
	// Two requests with the same code race here: only one moves the step.
	res := gdb.Model(&TOTP{}).Where("user_id = ? AND last_step < ?", userID, step).Update("last_step", step)
	return "totp", res.RowsAffected == 1, res.Error
}

func errMFAInvalid() error {
	return &apperr.Error{Code: CodeMFAInvalid, Key: "mfa.invalid"}
}

func (s *Service) mfaRefused(ctx context.Context, u *User, ip, reason string) error {
	_ = s.tx(ctx, func(tx *gorm.DB) error {
		return s.record(tx, access.Anonymous(ip), audit.Entry{Action: "auth.mfa_failed", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"reason": reason}})
	})
	return errMFAInvalid()
}

// MFARemoval is a person's request to remove their own second factor.
type MFARemoval struct {
	Password string `json:"password" form:"password" audit:"-"`
	Code     string `json:"code" form:"code" audit:"-"`
}

// RemoveSecondFactor removes the actor's own factor after checking their
// password and a current code; other sessions and tokens end. It returns
// the person as they are now, for the caller to renew its session.
func (s *Service) RemoveSecondFactor(ctx context.Context, actor access.Actor, in MFARemoval) (*User, error) {
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := s.checkOwnPassword(ctx, u, "password", in.Password, actor.IP); err != nil {
		return nil, err
	}
	if _, ok, err := s.consumeFactor(ctx, u.ID, SecondFactorInput{Code: in.Code}); err != nil {
		return nil, err
	} else if !ok {
		return nil, apperr.Invalid(apperr.Field("code", "mfa.code_wrong"))
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return s.dropFactor(tx, actor, u, "user.mfa_disable") }); err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}

// ResetSecondFactor removes another person's factor, for when they lost it:
// agency admins of their agency and admins, never one's own.
func (s *Service) ResetSecondFactor(ctx context.Context, actor access.Actor, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := loadAdministered(tx, actor, id)
		if err != nil {
			return err
		}
		return s.dropFactor(tx, actor, u, "user.mfa_reset")
	})
}

// dropFactor deletes the TOTP secret and recovery codes and ends every
// session and token of u. The password may have been chosen under the
// shorter rule for accounts with a second factor, so it must be changed.
func (s *Service) dropFactor(tx *gorm.DB, actor access.Actor, u *User, action string) error {
	if err := tx.Where("user_id = ?", u.ID).Delete(&TOTP{}).Error; err != nil {
		return err
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&RecoveryCode{}).Error; err != nil {
		return err
	}
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"session_epoch": gorm.Expr("session_epoch + 1"),
		"must_change_password": true, "updated_at": s.now()}).Error; err != nil {
		return err
	}
	return s.record(tx, actor, audit.Entry{Action: action, SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
}

// sealTOTP encrypts an authenticator secret under MUSTER_SECRET_KEY, bound
// to its owner, when a secret key is configured.
func (s *Service) sealTOTP(userID, plain string) string {
	if s.Secrets == nil {
		return plain
	}
	return s.Secrets.Seal([]byte(plain), []byte("totp:"+userID))
}

// openTOTP reads a stored authenticator secret, sealed or not.
func (s *Service) openTOTP(t *TOTP) (string, error) {
	if !secret.IsSealed(t.Secret) {
		return t.Secret, nil
	}
	if s.Secrets == nil {
		return "", fmt.Errorf("authenticator secret of %s is sealed but MUSTER_SECRET_KEY is not set", t.UserID)
	}
	b, err := s.Secrets.Open(t.Secret, []byte("totp:"+t.UserID))
	return string(b), err
}
