package identity

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/secret"
)

// unusableHash stands in for a password nobody has chosen yet: no argon2id
// hash matches it, so the account cannot sign in until a link sets one.
const unusableHash = "!unset"

// Purposes of a password link, and how long each lives.
const (
	purposeReset  = "reset"
	purposeInvite = "invite"
	resetTTL      = 30 * time.Minute
	inviteTTL     = 7 * 24 * time.Hour
)

// Notification kinds the identity capability sends.
const (
	KindPasswordReset = "password_reset"
	KindInvitation    = "invitation"
)

// Outbox queues a message to a person inside the caller's transaction.
type Outbox interface {
	Enqueue(tx *gorm.DB, userID, kind string, data map[string]any) error
}

// sendPasswordLink makes a single-use link for u and queues the e-mail that
// carries it. Only its hash is kept; earlier unused links of u end.
func (s *Service) sendPasswordLink(tx *gorm.DB, actor access.Actor, u *User, purpose string) error {
	now := s.now()
	if err := s.endPasswordLinks(tx, u.ID); err != nil {
		return err
	}
	ttl, kind := resetTTL, KindPasswordReset
	if purpose == purposeInvite {
		ttl, kind = inviteTTL, KindInvitation
	}
	token := secret.New()
	t := PasswordToken{ID: newID(), UserID: u.ID, Purpose: purpose, TokenHash: secret.Hash(token), ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := tx.Create(&t).Error; err != nil {
		return err
	}
	if err := s.record(tx, actor, audit.Entry{Action: "user.password_link", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
		Details: map[string]any{"purpose": purpose, "expires_at": t.ExpiresAt.Format(time.RFC3339)}}); err != nil {
		return err
	}
	if s.Outbox == nil {
		return nil
	}
	return s.Outbox.Enqueue(tx, u.ID, kind, map[string]any{"token": token, "expires_at": t.ExpiresAt.Format(time.RFC3339)})
}

// RequestPasswordReset e-mails a reset link to the active account with this
// address, if there is one. The caller answers the same either way.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	email = plaintext.Line(email)
	if len(email) > maxIdentifier || email == "" {
		return nil
	}
	if err := s.Throttle(ctx, "reset:"+emailKey(email), resetsPerHour, time.Hour); err != nil {
		return nil // silently: the answer must not tell a throttled address from an unknown one
	}
	var u User
	err := s.DB.WithContext(ctx).Where("email_key = ?", emailKey(email)).Take(&u).Error
	if db.IsNotFound(err) || (err == nil && u.Disabled()) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.sendPasswordLink(tx, access.Anonymous(ip), &u, purposeReset)
	})
}

// PasswordResetInput sets a password through a link.
type PasswordResetInput struct {
	Token       string `json:"token" form:"token" audit:"-"`
	NewPassword string `json:"new_password" form:"new_password" audit:"-"`
}

// ConfirmPasswordReset sets the password of the link's owner, once, while
// the link lives; every session and token of the person ends.
func (s *Service) ConfirmPasswordReset(ctx context.Context, in PasswordResetInput, ip string) (*User, error) {
	invalid := apperr.Invalid(apperr.Field("token", "password.link_invalid"))
	if in.Token == "" || len(in.Token) > 200 {
		return nil, invalid
	}
	var t PasswordToken
	err := s.DB.WithContext(ctx).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", secret.Hash(in.Token), s.now()).Take(&t).Error
	if db.IsNotFound(err) {
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled() {
		return nil, invalid
	}
	hash, err := s.policyHash(ctx, "new_password", u, in.NewPassword)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Claiming the link and setting the password commit together, so a
		// link raced from two tabs sets one password.
		res := tx.Model(&PasswordToken{}).Where("id = ? AND used_at IS NULL", t.ID).Update("used_at", s.now())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return invalid
		}
		if err := s.setPassword(tx, u.ID, hash); err != nil {
			return err
		}
		return s.record(tx, u.Actor(ip), audit.Entry{Action: "user.password_set", SubjectType: "user", SubjectID: u.ID, AgencyID: u.AgencyID,
			Details: map[string]any{"purpose": t.Purpose}})
	})
	if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, u.ID)
}
