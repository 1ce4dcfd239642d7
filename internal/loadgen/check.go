package loadgen

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// CheckSeats reads cohortID's enrollments back and reports the first broken
// rule of a storm of direct requests (no approval step): more seats taken
// than the capacity or an agency's quota; seat counters that disagree with
// the rows; a seat given to a later request while an earlier one of an
// agency with room was waitlisted (FIFO); waitlist positions told that are
// not the stored queue order; an answered enrollment missing or different
// in the database. Answers without a 201 (refused, or lost to a fault) are
// only checked not to have left a row when they were refused.
func CheckSeats(ctx context.Context, gdb *gorm.DB, cohortID string, rep StormReport) error {
	var c struct {
		Capacity, SeatsTaken, QueueSeq int
	}
	if err := gdb.WithContext(ctx).Raw("SELECT capacity, seats_taken, queue_seq FROM cohorts WHERE id = ?", cohortID).Scan(&c).Error; err != nil {
		return err
	}
	var quotas []struct {
		AgencyID          string
		Seats, SeatsTaken int
	}
	if err := gdb.WithContext(ctx).Raw("SELECT agency_id, seats, seats_taken FROM cohort_quotas WHERE cohort_id = ?", cohortID).Scan(&quotas).Error; err != nil {
		return err
	}
	var rows []struct {
		ID, UserID, AgencyID, Status string
		QueueNo                      int
	}
	if err := gdb.WithContext(ctx).Raw("SELECT id, user_id, agency_id, status, queue_no FROM enrollments WHERE cohort_id = ? ORDER BY queue_no", cohortID).Scan(&rows).Error; err != nil {
		return err
	}
	room := map[string]int{} // quota seats per agency; absent: no quotas
	for _, q := range quotas {
		room[q.AgencyID] = q.Seats
	}
	enrolled, total := map[string]int{}, 0
	position := map[string]int{} // enrollment id -> waitlist position in queue order
	waitlisted := 0
	for i, r := range rows {
		if i > 0 && r.QueueNo <= rows[i-1].QueueNo {
			return fmt.Errorf("queue number %d given twice", r.QueueNo)
		}
		agencyHasRoom := total < c.Capacity
		if len(quotas) > 0 {
			seats, ok := room[r.AgencyID]
			agencyHasRoom = agencyHasRoom && ok && enrolled[r.AgencyID] < seats
		}
		switch r.Status {
		case "enrolled":
			if !agencyHasRoom {
				return fmt.Errorf("overbooked: queue %d (agency %s) enrolled beyond capacity %d or quota %v", r.QueueNo, r.AgencyID, c.Capacity, room)
			}
			enrolled[r.AgencyID]++
			total++
		case "waitlisted":
			if agencyHasRoom {
				return fmt.Errorf("not first come, first served: queue %d (agency %s) waitlisted while a seat was free", r.QueueNo, r.AgencyID)
			}
			waitlisted++
			position[r.ID] = waitlisted
		default:
			return fmt.Errorf("queue %d: status %s in a storm of direct requests", r.QueueNo, r.Status)
		}
	}
	if c.SeatsTaken != total || c.QueueSeq < len(rows) {
		return fmt.Errorf("cohort counters: %d seats taken, queue at %d; rows: %d enrolled of %d", c.SeatsTaken, c.QueueSeq, total, len(rows))
	}
	for _, q := range quotas {
		if q.SeatsTaken != enrolled[q.AgencyID] {
			return fmt.Errorf("quota of agency %s: counter %d, %d enrolled", q.AgencyID, q.SeatsTaken, enrolled[q.AgencyID])
		}
	}
	byID := map[string]int{}
	for i, r := range rows {
		byID[r.ID] = i
	}
	for i, a := range rep.Answers {
		if a.Status != 201 {
			continue
		}
		k, ok := byID[a.EnrollmentID]
		if !ok {
			return fmt.Errorf("trainee %d was answered enrollment %s, which is not stored", i, a.EnrollmentID)
		}
		r := rows[k]
		if r.UserID != a.Trainee.UserID || r.Status != a.Outcome || r.AgencyID != a.AgencyID {
			return fmt.Errorf("trainee %d was answered %s for agency %s, stored %s for user %s of agency %s", i, a.Outcome, a.AgencyID, r.Status, r.UserID, r.AgencyID)
		}
		if a.Outcome == "waitlisted" && a.WaitlistPosition != position[r.ID] {
			return fmt.Errorf("trainee %d was told waitlist position %d, the queue puts them at %d", i, a.WaitlistPosition, position[r.ID])
		}
	}
	return nil
}
