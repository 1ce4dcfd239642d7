package audit

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
)

// ActionAccessDenied records a personal record refused to a signed-in user:
// one outside their scope, or one that does not exist (the two look alike).
const ActionAccessDenied = "access.denied"

// Log records an event that accompanies no change of another capability's
// records, such as a refused access, in a transaction of its own.
func (s *Service) Log(ctx context.Context, actor access.Actor, e Entry) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error { return Record(tx, db.Now(tx, s.Clock), actor, e) })
}
