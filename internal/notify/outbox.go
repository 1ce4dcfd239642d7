package notify

import (
	"encoding/json"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
)

// Jobs inserts jobs into the queue inside a transaction.
type Jobs interface {
	Insert(tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
}

// Outbox queues notifications inside the caller's transaction, so a change
// that rolls back tells nobody and one that commits is never lost: the
// notification's row and the job that sends it commit together.
type Outbox struct {
	Clock clock.Clock
	Jobs  Jobs // nil: the row is written and listed but nothing sends it
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
	n := &Notification{ID: uuid.Must(uuid.NewV7()).String(), UserID: userID, Kind: kind, Data: string(b),
		CreatedAt: now, NextAttemptAt: &now}
	if err := tx.Create(n).Error; err != nil {
		return err
	}
	if o.Jobs == nil {
		return nil
	}
	return o.Jobs.Insert(tx, SendArgs{NotificationID: n.ID}, &river.InsertOpts{MaxAttempts: defaultMaxAttempts})
}
