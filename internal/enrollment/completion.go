package enrollment

import (
	"context"
	"fmt"
	"muster/internal/db"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
)

// completionTrigger names the change that ends waiting requests in their
// audit events.
const completionTrigger = "cohort.complete"

// CohortCompleted records the outcome of a completed cohort inside tx, the
// transaction that completes it (the caller holds the cohort's row lock):
// the seated trainees listed in completed and failed get that status, and
// every pending or waitlisted request ends as cancelled, each audited and
// told, as a cancelled cohort's are.
func (s *Service) CohortCompleted(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string, completed, failed []string) error {
	now := db.Now(tx, s.Clock)
	for status, ids := range map[string][]string{StatusCompleted: completed, StatusFailed: failed} {
		if len(ids) == 0 {
			continue
		}
		res := tx.Model(&Enrollment{}).Where("cohort_id = ? AND id IN ? AND status = ?", cohortID, ids, StatusEnrolled).
			Updates(map[string]any{"status": status, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(len(ids)) {
			return fmt.Errorf("enrollment: %d of %d trainees of cohort %s are no longer seated", int64(len(ids))-res.RowsAffected, len(ids), cohortID)
		}
	}
	var waiting []Enrollment
	err := tx.Where("cohort_id = ? AND status IN ?", cohortID, []string{StatusPending, StatusWaitlisted}).Order("queue_no").Find(&waiting).Error
	if err != nil || len(waiting) == 0 {
		return err
	}
	for i := range waiting {
		e := &waiting[i]
		from := e.Status
		res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", e.ID, from).
			Updates(map[string]any{"status": StatusCancelled, "updated_at": now})
		if err := counted(res, "enrollment "+e.ID); err != nil {
			return err
		}
		e.Status, e.UpdatedAt = StatusCancelled, now
		if err := s.audit(tx, actor, ActionCancel, e, change{From: from, QueueNo: e.QueueNo, Trigger: completionTrigger}); err != nil {
			return err
		}
		if err := s.notify(tx, NoticeClosed, e); err != nil {
			return err
		}
	}
	return nil
}

// Assessed stores the score of a seated trainee with who assessed it and
// when, inside tx; the audit event keeps the old score.
func (s *Service) Assessed(ctx context.Context, tx *gorm.DB, actor access.Actor, enrollmentID string, score int, at time.Time) error {
	var e Enrollment
	if err := tx.Where("id = ? AND status = ?", enrollmentID, StatusEnrolled).Take(&e).Error; err != nil {
		return err
	}
	var by *string
	if actor.UserID != "" {
		by = &actor.UserID
	}
	res := tx.Model(&Enrollment{}).Where("id = ?", e.ID).
		Updates(map[string]any{"score": score, "assessed_by": by, "assessed_at": at, "updated_at": at})
	if err := counted(res, "enrollment "+e.ID); err != nil {
		return err
	}
	return s.record(tx, actor, audit.Entry{Action: ActionResult, SubjectType: "enrollment", SubjectID: e.ID, AgencyID: e.AgencyID,
		Details: map[string]any{"cohort_id": e.CohortID, "score": audit.Change{From: e.Score, To: score}}})
}
