package identity

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
)

// Logout records that actor signed out; a visitor who was not signed in
// leaves nothing to record.
func (s *Service) Logout(ctx context.Context, actor access.Actor) error {
	if actor.UserID == "" {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.record(tx, actor, audit.Entry{Action: "auth.logout", SubjectType: "user", SubjectID: actor.UserID, AgencyID: actor.AgencyID})
	})
}
