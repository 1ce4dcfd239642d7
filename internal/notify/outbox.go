package notify

import (
	"encoding/json"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
)

// Outbox queues notifications inside the caller's transaction, so a change
// that rolls back tells nobody and one that commits is never lost.
type Outbox struct {
	Clock clock.Clock
}

// Enqueue adds a notification of kind to userID, due at once, with data,
// the facts its message names, inside tx.
func (o *Outbox) Enqueue(tx *gorm.DB, userID, kind string, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	now := db.Now(tx, o.Clock) // the instant of the change that queues it
	return tx.Create(&Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Kind: kind, Data: string(b),
		CreatedAt: now, NextAttemptAt: &now}).Error
}
