package identity

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/secret"
	"muster/internal/validate"
)

// tokenPrefix marks muster's secrets so scanners can spot a leaked one.
const tokenPrefix = "mst_"

// TokenInput creates a personal access token.
type TokenInput struct {
	Name      string    `json:"name" form:"name" validate:"notblank,max=100"`
	ExpiresAt time.Time `json:"expires_at" form:"expires_at" time_format:"2006-01-02" validate:"required"`
	ReadOnly  bool      `json:"read_only" form:"read_only"`
}

// NewToken is a created token with its secret, shown only once.
type NewToken struct {
	AccessToken
	Token string `json:"token"`
}

// CreateToken makes a token acting with the actor's roles and scope, from a
// session that passed a second factor. It lives until it expires, is
// revoked, or its owner's password, roles or status change.
func (s *Service) CreateToken(ctx context.Context, actor access.Actor, in TokenInput) (*NewToken, error) {
	if !actor.SignedIn() || actor.UserID == "" {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if !actor.SecondFactor {
		return nil, &apperr.Error{Code: CodeMFARequired, Key: "token.needs_second_factor"}
	}
	u, err := s.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	in.Name = plaintext.Line(in.Name)
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	now := s.now()
	if !in.ExpiresAt.After(now) {
		return nil, apperr.Invalid(apperr.Field("expires_at", "token.expiry_past"))
	}
	if in.ExpiresAt.After(now.AddDate(1, 0, 1)) {
		return nil, apperr.Invalid(apperr.Field("expires_at", "token.expiry_too_far"))
	}
	token := tokenPrefix + secret.New()
	t := AccessToken{ID: newID(), UserID: actor.UserID, Name: in.Name, TokenHash: secret.Hash(token), ExpiresAt: in.ExpiresAt.UTC(), CreatedAt: now,
		Epoch: u.SessionEpoch, ReadOnly: in.ReadOnly}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "token.create", SubjectType: "access_token", SubjectID: t.ID, AgencyID: actor.AgencyID,
			Details: map[string]any{"name": t.Name, "expires_at": t.ExpiresAt.Format(time.RFC3339), "read_only": t.ReadOnly}})
	})
	if err != nil {
		return nil, err
	}
	return &NewToken{AccessToken: t, Token: token}, nil
}

// ListTokens lists the actor's own tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, actor access.Actor) ([]AccessToken, error) {
	var ts []AccessToken
	err := s.DB.WithContext(ctx).Where("user_id = ?", actor.UserID).Order("created_at DESC").Find(&ts).Error
	return ts, err
}

// RevokeToken ends one of the actor's tokens; another user's token is not found.
func (s *Service) RevokeToken(ctx context.Context, actor access.Actor, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var t AccessToken
		err := db.ForUpdate(tx).Where("id = ? AND user_id = ?", id, actor.UserID).Take(&t).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := tx.Model(&t).Update("revoked_at", s.now()).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "token.revoke", SubjectType: "access_token", SubjectID: t.ID, AgencyID: actor.AgencyID,
			Details: map[string]any{"name": t.Name}})
	})
}

// Authenticate returns the owner of a live token secret and the token.
func (s *Service) Authenticate(ctx context.Context, plain string) (*User, *AccessToken, error) {
	if !strings.HasPrefix(plain, tokenPrefix) || len(plain) > 200 {
		return nil, nil, apperr.New(apperr.CodeUnauthorized)
	}
	var t AccessToken
	now := s.now()
	err := s.DB.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL AND expires_at > ?", secret.Hash(plain), now).Take(&t).Error
	if db.IsNotFound(err) {
		return nil, nil, apperr.New(apperr.CodeUnauthorized)
	}
	if err != nil {
		return nil, nil, err
	}
	// Note use at most once a minute, so busy clients do not write on every call.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		s.DB.WithContext(ctx).Model(&AccessToken{}).Where("id = ?", t.ID).Update("last_used_at", now)
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	// A changed password, new roles or a disabled account raise the epoch.
	if u.Disabled() || u.SessionEpoch != t.Epoch {
		return nil, nil, apperr.New(apperr.CodeUnauthorized)
	}
	return u, &t, nil
}
