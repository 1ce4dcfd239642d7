package notify

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/clock"
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
	now := o.now()
	return tx.Create(&Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Kind: kind, Data: string(b),
		CreatedAt: now, NextAttemptAt: &now}).Error
}

func (o *Outbox) now() time.Time { return now(o.Clock) }

// now reads clk in whole seconds: SQLite compares instants as text.
func now(clk clock.Clock) time.Time {
	if clk == nil {
		return time.Now().UTC().Truncate(time.Second)
	}
	return clk.Now().UTC().Truncate(time.Second)
}
