package notify

import (
	"time"

	"gorm.io/gorm"
)

// PruneFinished removes, inside tx, the e-mails that were sent, or given
// up, before cutoff: the outbox keeps what is still to deliver and a
// recent history only.
func PruneFinished(tx *gorm.DB, cutoff time.Time) (int64, error) {
	res := tx.Where("(sent_at IS NOT NULL AND sent_at < ?) OR (sent_at IS NULL AND next_attempt_at IS NULL AND created_at < ?)", cutoff, cutoff).
		Delete(&Notification{})
	return res.RowsAffected, res.Error
}
