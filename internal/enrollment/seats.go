package enrollment

import (
	"fmt"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/cohort"
)

// The counters below change only while the cohort's row is locked, and each
// update is also conditional on the value read under that lock and on the
// room left, so a caller that forgot the lock fails instead of overbooking.
// The tables' CHECK constraints are the last line of defence.

// takeTurn gives a new request the next place in the cohort's queue. Its
// update takes the cohort's row lock, held until the transaction ends, and
// answers the cohort as it stands under that lock, in one round trip.
func takeTurn(tx *gorm.DB, cohortID string) (*cohort.Cohort, error) {
	var cs []cohort.Cohort
	if err := tx.Raw("UPDATE cohorts SET queue_seq = queue_seq + 1 WHERE id = ? RETURNING *", cohortID).Scan(&cs).Error; err != nil {
		return nil, err
	}
	if len(cs) != 1 {
		return nil, apperr.NotFound()
	}
	return &cs[0], nil
}

// queueState reads, under the cohort's lock, its quotas and the waitlist
// ahead of queue place queueNo (overall and of agencyID's people), in one
// round trip: a request counts the waitlist once.
func queueState(tx *gorm.DB, cohortID, agencyID string, queueNo int) ([]cohort.Quota, positions, error) {
	var rows []struct {
		Overall, Agency   int
		AgencyID          *string
		Seats, SeatsTaken *int
	}
	err := tx.Raw(`SELECT w.overall, w.agency, q.agency_id, q.seats, q.seats_taken
		FROM (SELECT COUNT(*) AS overall, COALESCE(SUM(CASE WHEN agency_id = ? THEN 1 ELSE 0 END), 0) AS agency
			FROM enrollments WHERE cohort_id = ? AND status = ? AND queue_no < ?) w
		LEFT JOIN cohort_quotas q ON q.cohort_id = ?
		ORDER BY q.agency_id`, agencyID, cohortID, StatusWaitlisted, queueNo, cohortID).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, positions{}, err
	}
	ahead := positions{Overall: rows[0].Overall + 1, Agency: rows[0].Agency + 1}
	var quotas []cohort.Quota
	for _, r := range rows {
		if r.AgencyID != nil {
			quotas = append(quotas, cohort.Quota{CohortID: cohortID, AgencyID: *r.AgencyID, Seats: *r.Seats, SeatsTaken: *r.SeatsTaken})
		}
	}
	return quotas, ahead, nil
}

// moveSeat takes (delta 1) or frees (delta -1) one seat of the cohort and,
// when it has quotas, of the agency's quota.
func moveSeat(tx *gorm.DB, c *cohort.Cohort, agencyID string, hasQuotas bool, delta int) error {
	res := tx.Model(&cohort.Cohort{}).
		Where("id = ? AND seats_taken = ? AND seats_taken + ? BETWEEN 0 AND capacity", c.ID, c.SeatsTaken, delta).
		Update("seats_taken", gorm.Expr("seats_taken + ?", delta))
	if err := counted(res, "cohort "+c.ID); err != nil {
		return err
	}
	c.SeatsTaken += delta
	if hasQuotas {
		return moveQuotaSeat(tx, c.ID, agencyID, delta)
	}
	return nil
}

// moveQuotaSeat changes an agency's seats taken within its quota. Freeing a
// seat of an agency without a quota row (the cohort had no quotas when the
// seat was taken) changes nothing.
func moveQuotaSeat(tx *gorm.DB, cohortID, agencyID string, delta int) error {
	res := tx.Model(&cohort.Quota{}).
		Where("cohort_id = ? AND agency_id = ? AND seats_taken + ? BETWEEN 0 AND seats", cohortID, agencyID, delta).
		Update("seats_taken", gorm.Expr("seats_taken + ?", delta))
	if delta < 0 && res.Error == nil {
		return nil
	}
	return counted(res, "quota of agency "+agencyID+" in cohort "+cohortID)
}

// counted checks that a counter update changed exactly one row.
func counted(res *gorm.DB, what string) error {
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("enrollment: the seat counters of %s disagree with the row read under lock", what)
	}
	return nil
}

// positions are an enrollment's places on the cohort's waitlist: overall and
// among its agency's people, both counted from 1 in queue order.
type positions struct {
	Overall int
	Agency  int
}

// waitlistPosition counts the waitlisted requests ahead of e.
func waitlistPosition(tx *gorm.DB, e *Enrollment) (positions, error) {
	var p positions
	err := tx.Raw(`SELECT COUNT(*) AS overall, COALESCE(SUM(CASE WHEN agency_id = ? THEN 1 ELSE 0 END), 0) AS agency
		FROM enrollments WHERE cohort_id = ? AND status = ? AND queue_no < ?`,
		e.AgencyID, e.CohortID, StatusWaitlisted, e.QueueNo).Scan(&p).Error
	p.Overall++
	p.Agency++
	return p, err
}
