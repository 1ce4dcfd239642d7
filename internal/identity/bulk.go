package identity

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/secret"
)

// BulkTrainee is one person BulkTrainees made, with the secret of the API
// token made for them when tokens were asked for.
type BulkTrainee struct {
	User
	Token string
}

// bulkBatch is how many rows one INSERT carries.
const bulkBatch = 500

// BulkTrainees adds n active trainees to agencyID in one transaction, for
// load tests and `muster seed --scale`: no passwords (they act through
// their tokens, or a reset sets one), addresses and service numbers made
// from key, which must be new to the agency. With tokenExpiry set each gets
// a personal access token. One audit event records the batch.
func (s *Service) BulkTrainees(ctx context.Context, actor access.Actor, agencyID, key string, n int, tokenExpiry time.Time) ([]BulkTrainee, error) {
	if !actor.IsAdmin() {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	if n <= 0 {
		return nil, nil
	}
	out := make([]BulkTrainee, n)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ag Agency
		if err := tx.Where("id = ?", agencyID).Take(&ag).Error; err != nil {
			return err
		}
		now := s.now()
		users := make([]User, n)
		var tokens []AccessToken
		for i := range users {
			email := fmt.Sprintf("%s.%d@%s.example", key, i, ag.ShortName)
			u := User{ID: newID(), AgencyID: agencyID, Email: email, EmailKey: emailKey(email),
				FullName: fmt.Sprintf("Trainee %s %d", key, i), ServiceNumber: fmt.Sprintf("%s-%d", key, i),
				Language: "en", CreatedAt: now, UpdatedAt: now}
			u.Roles = []UserRole{{UserID: u.ID, Role: access.Trainee}}
			users[i] = u
			out[i].User = u
			if !tokenExpiry.IsZero() {
				out[i].Token = tokenPrefix + secret.New()
				tokens = append(tokens, AccessToken{ID: newID(), UserID: u.ID, Name: "bulk " + key, TokenHash: secret.Hash(out[i].Token),
					ExpiresAt: tokenExpiry.UTC(), CreatedAt: now})
			}
		}
		if err := tx.Omit("Agency").CreateInBatches(users, bulkBatch).Error; err != nil {
			return err
		}
		if len(tokens) > 0 {
			if err := tx.CreateInBatches(tokens, bulkBatch).Error; err != nil {
				return err
			}
		}
		return s.record(tx, actor, audit.Entry{Action: "user.bulk_create", SubjectType: "agency", SubjectID: agencyID, AgencyID: agencyID,
			Details: map[string]any{"trainees": n, "key": key, "tokens": len(tokens)}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
