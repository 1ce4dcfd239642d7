package cohort

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
)

// Completed marks a cohort completed at the given time, inside tx, the
// transaction of the completion that certify runs and audits (it judges the
// trainees and holds the cohort's row lock). Only an open or running cohort
// completes.
func (s *Service) Completed(_ context.Context, tx *gorm.DB, _ access.Actor, cohortID string, at time.Time) error {
	res := tx.Model(&Cohort{}).Where("id = ? AND status IN ?", cohortID, []string{StatusOpen, StatusInProgress}).
		Updates(map[string]any{"status": StatusCompleted, "completed_at": at, "updated_at": at})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("cohort: %s is not open or in progress and cannot complete", cohortID)
	}
	return nil
}
