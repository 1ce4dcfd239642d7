package enrollment

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db"
)

// The cohort service tells enrollment of freed seats and cancellations.
var _ cohort.SeatWatcher = (*Service)(nil)

// promoteBatch is how many waitlisted requests one read considers.
const promoteBatch = 200

// promote gives free seats to the waitlist, earliest request first,
// skipping people whose agency's quota is full, until the cohort is full or
// nobody waiting fits. Nobody is promoted once the cohort has started. The
// caller holds the cohort's row lock; c's counters are read again under it.
func (s *Service) promote(tx *gorm.DB, actor access.Actor, c *cohort.Cohort, trigger string) error {
	if err := tx.Where("id = ?", c.ID).Take(c).Error; err != nil {
		return err
	}
	if c.Status != cohort.StatusOpen || s.started(c) || c.SeatsTaken >= c.Capacity {
		return nil
	}
	var quotas []cohort.Quota
	if err := tx.Where("cohort_id = ?", c.ID).Find(&quotas).Error; err != nil {
		return err
	}
	room := map[string]int{} // seats left per agency, when the cohort has quotas
	var open []string
	for _, q := range quotas {
		if left := q.Seats - q.SeatsTaken; left > 0 {
			room[q.AgencyID] = left
			open = append(open, q.AgencyID)
		}
	}
	if len(quotas) > 0 && len(open) == 0 {
		return nil
	}
	after := 0
	for c.SeatsTaken < c.Capacity {
		q := tx.Where("cohort_id = ? AND status = ? AND queue_no > ?", c.ID, StatusWaitlisted, after)
		if len(quotas) > 0 {
			q = q.Where("agency_id IN ?", open)
		}
		var waiting []Enrollment
		if err := q.Order("queue_no").Limit(promoteBatch).Find(&waiting).Error; err != nil {
			return err
		}
		if len(waiting) == 0 {
			return nil
		}
		for i := range waiting {
			e := &waiting[i]
			after = e.QueueNo
			if c.SeatsTaken >= c.Capacity {
				return nil
			}
			if len(quotas) > 0 && room[e.AgencyID] <= 0 {
				continue
			}
			if err := s.promoteOne(tx, actor, c, e, len(quotas) > 0, trigger); err != nil {
				return err
			}
			room[e.AgencyID]--
		}
	}
	return nil
}

// promoteOne moves e from the waitlist to a seat, audited and told.
func (s *Service) promoteOne(tx *gorm.DB, actor access.Actor, c *cohort.Cohort, e *Enrollment, hasQuotas bool, trigger string) error {
	if err := moveSeat(tx, c, e.AgencyID, hasQuotas, 1); err != nil {
		return err
	}
	now := db.Now(tx, s.Clock)
	res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", e.ID, StatusWaitlisted).
		Updates(map[string]any{"status": StatusEnrolled, "updated_at": now})
	if err := counted(res, "enrollment "+e.ID); err != nil {
		return err
	}
	e.Status, e.UpdatedAt = StatusEnrolled, now
	if err := s.audit(tx, actor, ActionPromote, e, change{From: StatusWaitlisted, QueueNo: e.QueueNo, Trigger: trigger}); err != nil {
		return err
	}
	return s.notify(tx, NoticePromoted, e)
}

// SeatsFreed promotes as many waitlisted people as now fit in the cohort,
// inside tx, the transaction that freed seats (a raised capacity or quota).
// With a nil tx it runs its own.
func (s *Service) SeatsFreed(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string) error {
	run := func(tx *gorm.DB) error {
		var c cohort.Cohort
		if err := db.ForUpdate(tx).Where("id = ?", cohortID).Take(&c).Error; err != nil {
			return err
		}
		return s.promote(tx, actor, &c, "cohort.seats")
	}
	if tx == nil {
		return db.Tx(ctx, s.DB, s.Clock, run)
	}
	return run(tx) // tx carries its transaction's context and instant
}

// CohortCancelled ends every pending, enrolled and waitlisted request of a
// cancelled cohort, each audited and told, and zeroes its seat counters,
// inside tx, the transaction that cancels it. With a nil tx it runs its own.
func (s *Service) CohortCancelled(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string) error {
	run := func(tx *gorm.DB) error {
		var c cohort.Cohort
		if err := db.ForUpdate(tx).Where("id = ?", cohortID).Take(&c).Error; err != nil {
			return err
		}
		var live []Enrollment
		if err := tx.Where("cohort_id = ? AND status IN ?", c.ID, liveStatuses).Order("queue_no").Find(&live).Error; err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		if err := tx.Model(&Enrollment{}).Where("cohort_id = ? AND status IN ?", c.ID, liveStatuses).
			Updates(map[string]any{"status": StatusCancelled, "updated_at": now}).Error; err != nil {
			return err
		}
		for i := range live {
			e := &live[i]
			from := e.Status
			e.Status, e.UpdatedAt = StatusCancelled, now
			if err := s.audit(tx, actor, ActionCancel, e, change{From: from, QueueNo: e.QueueNo}); err != nil {
				return err
			}
			if err := s.notify(tx, NoticeCancelled, e); err != nil {
				return err
			}
		}
		if err := tx.Model(&cohort.Cohort{}).Where("id = ?", c.ID).Update("seats_taken", 0).Error; err != nil {
			return err
		}
		return tx.Model(&cohort.Quota{}).Where("cohort_id = ?", c.ID).Update("seats_taken", 0).Error
	}
	if tx == nil {
		return db.Tx(ctx, s.DB, s.Clock, run)
	}
	return run(tx) // tx carries its transaction's context and instant
}
