package identity

import (
	"context"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/plaintext"
)

// maxIdentifier caps a sign-in identifier: the longest valid e-mail address.
const maxIdentifier = 254

// maxPasswordInput bounds what is hashed for a sign-in attempt.
const maxPasswordInput = 4 * maxPasswordLen

// errBadCredentials is the one answer to every failed sign-in, so the
// response never tells whether the email exists or the account is locked.
func errBadCredentials() error {
	return &apperr.Error{Code: apperr.CodeUnauthorized, Key: "auth.bad_credentials"}
}

// Password is a right password: who gave it, and whether a second factor
// must follow before they are signed in.
type Password struct {
	*User
	SecondFactor bool
}

// Login checks an email and password. Each attempt on an account first
// reserves one of LockoutThreshold slots in the database, so parallel
// attempts cannot verify more passwords than the threshold allows; the
// attempt that fills the last slot and fails locks the account, and a
// success that finishes after a lock does not lift it. Attempts are
// throttled per account and per client address; every outcome is audited.
func (s *Service) Login(ctx context.Context, email, password, ip string) (*Password, error) {
	email = plaintext.Line(email)
	if utf8.RuneCountInString(email) > maxIdentifier {
		return nil, apperr.Invalid(apperr.Field("email", "validation.max", "Max", maxIdentifier))
	}
	if err := s.throttleLogin(ctx, email, ip); err != nil {
		return nil, err
	}
	var u User
	err := s.DB.WithContext(ctx).Where("email_key = ?", emailKey(email)).Take(&u).Error
	if db.IsNotFound(err) {
		_, _ = verifyPassword(ctx, dummyHash(), password) // same cost as a real check
		return nil, s.refuse(ctx, nil, email, ip, "unknown_email")
	}
	if err != nil {
		return nil, err
	}
	slot, err := s.reserveAttempt(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if slot == 0 { // locked, or every slot taken by attempts under way
		return nil, s.refuse(ctx, &u, email, ip, "locked")
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, password)
	if err != nil { // busy or cancelled: the attempt did not happen
		s.releaseAttempt(ctx, u.ID)
		return nil, err
	}
	if !ok {
		return nil, s.attemptFailed(ctx, &u, email, ip, "bad_password")
	}
	// With a second factor to come, the password alone clears nothing: the
	// slot stays taken until a right code, so wrong codes still add up.
	has, err := s.HasSecondFactor(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if err := s.attemptSucceeded(ctx, u.ID, slot, !has); err != nil {
		if apperr.CodeOf(err) == apperr.CodeUnauthorized {
			return nil, s.refuse(ctx, &u, email, ip, "locked")
		}
		return nil, err
	}
	if u.Disabled() {
		return nil, s.refuse(ctx, &u, email, ip, "disabled")
	}
	// The password step; with a second factor, auth.mfa records the second.
	if err := s.tx(ctx, func(tx *gorm.DB) error {
		return s.record(tx, u.Actor(ip), audit.Entry{Action: "auth.login", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID})
	}); err != nil {
		return nil, err
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &Password{User: got, SecondFactor: has}, nil
}

// checkPassword verifies pw against hash; an account without a usable
// password costs the same time and never matches.
func (s *Service) checkPassword(ctx context.Context, hash, pw string) (bool, error) {
	if len(pw) > maxPasswordInput {
		pw = pw[:maxPasswordInput]
	}
	if hash == unusableHash {
		_, err := verifyPassword(ctx, dummyHash(), pw)
		return false, err
	}
	ok, err := verifyPassword(ctx, hash, pw)
	if err != nil && apperr.CodeOf(err) != apperr.CodeRateLimited && ctx.Err() == nil {
		return false, nil // an unreadable stored hash matches nothing
	}
	return ok, err
}

// reserveAttempt takes the next attempt slot of the account and returns its
// number, or 0 when the account is locked or its slots are taken.
func (s *Service) reserveAttempt(ctx context.Context, userID string) (int, error) {
	var slot int
	now := s.now()
	err := s.DB.WithContext(ctx).Raw(`UPDATE users SET failed_logins = failed_logins + 1
		WHERE id = ? AND failed_logins < ? AND (locked_until IS NULL OR locked_until <= ?)
		RETURNING failed_logins`, userID, s.LockoutThreshold, now).Scan(&slot).Error
	return slot, err
}

// releaseAttempt gives back a slot whose check never ran.
func (s *Service) releaseAttempt(ctx context.Context, userID string) {
	s.DB.WithContext(context.WithoutCancel(ctx)).Exec(`UPDATE users SET failed_logins = failed_logins - 1 WHERE id = ? AND failed_logins > 0`, userID)
}

// attemptFailed keeps the failure counted, locks the account when this
// failure filled the last slot, and audits both.
func (s *Service) attemptFailed(ctx context.Context, u *User, email, ip, reason string) error {
	now := s.now()
	until := now.Add(s.LockoutDuration)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE users SET locked_until = ?, failed_logins = 0
			WHERE id = ? AND failed_logins >= ? AND (locked_until IS NULL OR locked_until <= ?)`, until, u.ID, s.LockoutThreshold, now)
		if res.Error != nil {
			return res.Error
		}
		actor := access.Anonymous(ip)
		if res.RowsAffected == 1 {
			if err := s.record(tx, actor, audit.Entry{Action: "auth.lockout", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
				Details: map[string]any{"locked_until": until.Format(time.RFC3339), "failures": s.LockoutThreshold}}); err != nil {
				return err
			}
		}
		return s.record(tx, actor, audit.Entry{Action: "auth.login_failed", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"email": auditIdentifier(email), "reason": reason}})
	})
	if err != nil {
		return err
	}
	s.countAddressFailure(ctx, ip)
	return errBadCredentials()
}

// attemptSucceeded clears the count (when clear is set) if no other attempt
// has been reserved since this one, and refuses when the account was locked
// meanwhile.
func (s *Service) attemptSucceeded(ctx context.Context, userID string, slot int, clear bool) error {
	now := s.now()
	if clear {
		if err := s.DB.WithContext(ctx).Exec(`UPDATE users SET failed_logins = 0
			WHERE id = ? AND failed_logins = ? AND (locked_until IS NULL OR locked_until <= ?)`, userID, slot, now).Error; err != nil {
			return err
		}
	}
	var u User
	if err := s.DB.WithContext(ctx).Select("locked_until").Where("id = ?", userID).Take(&u).Error; err != nil {
		return err
	}
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return errBadCredentials()
	}
	return nil
}

// refuse audits a sign-in refused without counting a failure.
func (s *Service) refuse(ctx context.Context, u *User, email, ip, reason string) error {
	e := audit.Entry{Action: "auth.login_failed", SubjectType: "user", Details: map[string]any{"email": auditIdentifier(email), "reason": reason}}
	if u != nil {
		e.SubjectID, e.AgencyID = u.ID, u.AgencyID
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return s.record(tx, access.Anonymous(ip), e) }); err != nil {
		return err
	}
	if reason == "unknown_email" {
		s.countAddressFailure(ctx, ip)
	}
	return errBadCredentials()
}

// auditIdentifier is what the audit trail keeps of a typed identifier:
// bounded, so a flood of huge guesses cannot fill the trail.
func auditIdentifier(email string) string {
	const keep = 64
	if utf8.RuneCountInString(email) <= keep {
		return email
	}
	r := []rune(email)
	return string(r[:keep]) + "…"
}

// Logout records that the actor signed out; the caller ends the session.
// A failure to record is logged by the caller's middleware, not answered.
func (s *Service) Logout(ctx context.Context, actor access.Actor) {
	if actor.UserID == "" {
		return
	}
	_ = s.tx(context.WithoutCancel(ctx), func(tx *gorm.DB) error {
		return s.record(tx, actor, audit.Entry{Action: "auth.logout", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID})
	})
}

// checkOwnPassword verifies the password of a signed-in person who confirms
// a sensitive change; wrong guesses count towards the lockout like sign-ins.
func (s *Service) checkOwnPassword(ctx context.Context, u *User, field, pw, ip string) error {
	wrong := apperr.Invalid(apperr.Field(field, "password.current_wrong"))
	slot, err := s.reserveAttempt(ctx, u.ID)
	if err != nil {
		return err
	}
	if slot == 0 {
		return wrong
	}
	ok, err := s.checkPassword(ctx, u.PasswordHash, pw)
	if err != nil {
		s.releaseAttempt(ctx, u.ID)
		return err
	}
	if !ok {
		if err := s.attemptFailed(ctx, u, u.Email, ip, "bad_current_password"); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			return err
		}
		return wrong
	}
	if err := s.attemptSucceeded(ctx, u.ID, slot, true); err != nil {
		return wrong
	}
	return nil
}
