package identity

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// errBadCredentials is the one answer to every failed sign-in, so the
// response never tells whether the email exists or the account is locked.
func errBadCredentials() error {
	return &apperr.Error{Code: apperr.CodeUnauthorized, Key: "auth.bad_credentials"}
}

// Login checks an email and password. Five failures in a row lock the
// account for the lockout duration; every outcome is audited.
func (s *Service) Login(ctx context.Context, email, password, ip string) (*User, error) {
	var u User
	err := s.DB.WithContext(ctx).Where("email_key = ?", emailKey(email)).Take(&u).Error
	if db.IsNotFound(err) {
		_, _ = VerifyPassword(dummyHash(), password) // same cost as a real check
		return nil, s.auditFailure(ctx, nil, email, ip, "unknown_email")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		_, _ = VerifyPassword(dummyHash(), password)
		return nil, s.auditFailure(ctx, &u, email, ip, "locked")
	}
	ok, err := VerifyPassword(u.PasswordHash, password)
	if err != nil || !ok {
		return nil, s.recordFailure(ctx, &u, email, ip)
	}
	if u.Disabled() {
		return nil, s.auditFailure(ctx, &u, email, ip, "disabled")
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error; err != nil {
			return err
		}
		return s.record(tx, u.Actor(ip), audit.Entry{Action: "auth.login", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}

// recordFailure counts a wrong password and locks the account at the threshold.
func (s *Service) recordFailure(ctx context.Context, u *User, email, ip string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		locked, err := loadUser(tx, u.ID)
		if err != nil {
			return err
		}
		failed := locked.FailedLogins + 1
		updates := map[string]any{"failed_logins": failed}
		actor := access.Anonymous(ip)
		if failed >= s.LockoutThreshold {
			until := s.now().Add(s.LockoutDuration)
			updates = map[string]any{"failed_logins": 0, "locked_until": until}
			if err := s.record(tx, actor, audit.Entry{Action: "auth.lockout", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
				Details: map[string]any{"locked_until": until.Format(time.RFC3339), "failures": failed}}); err != nil {
				return err
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "auth.login_failed", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"email": email, "reason": "bad_password"}})
	})
	if err != nil {
		return err
	}
	return errBadCredentials()
}

// auditFailure records a refused sign-in that changes no counter.
func (s *Service) auditFailure(ctx context.Context, u *User, email, ip, reason string) error {
	e := audit.Entry{Action: "auth.login_failed", SubjectType: "user", Details: map[string]any{"email": email, "reason": reason}}
	if u != nil {
		e.SubjectID, e.AgencyID = u.ID, u.AgencyID
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return s.record(tx, access.Anonymous(ip), e) }); err != nil {
		return err
	}
	return errBadCredentials()
}
