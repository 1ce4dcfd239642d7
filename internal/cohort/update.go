package cohort

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// transitions lists the status changes PATCH allows. Completion has its own
// endpoint, which checks attendance and results and issues certificates.
var transitions = map[string][]string{
	StatusDraft:      {StatusOpen, StatusCancelled},
	StatusOpen:       {StatusInProgress, StatusCancelled},
	StatusInProgress: {StatusCancelled},
}

// NextStatuses lists the statuses a cohort in status may move to by PATCH.
func NextStatuses(status string) []string { return slices.Clone(transitions[status]) }

// Update applies a patch to cohort id: its details, then its status. The
// host coordinator and admins may; the cohort row is locked, as enrollment
// counts seats against it.
func (s *Service) Update(ctx context.Context, actor access.Actor, id string, p CohortPatch) (*Cohort, error) {
	var out *Cohort
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := Managed(tx, actor, id)
		if err != nil {
			return err
		}
		var courseCode string
		if err := tx.Table("courses").Select("code").Where("id = ?", c.CourseID).Scan(&courseCode).Error; err != nil {
			return err
		}
		before := inputOf(c, courseCode)
		after := before
		p.applyTo(&after)
		after.normalize()
		after.Status = before.Status
		changed := audit.Diff(before, after)
		if len(changed) > 0 {
			if err := s.change(ctx, tx, actor, c, before, after); err != nil {
				return err
			}
		}
		if p.Status != nil && strings.TrimSpace(*p.Status) != c.Status {
			if err := s.move(ctx, tx, actor, c, strings.TrimSpace(*p.Status)); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// change checks and writes new details of c.
func (s *Service) change(ctx context.Context, tx *gorm.DB, actor access.Actor, c *Cohort, before, after CohortInput) error {
	p, fields, err := resolve(tx, after, c.CourseID)
	if err != nil {
		return err
	}
	if p.courseID != "" && p.courseID != c.CourseID && c.Status != StatusDraft {
		fields = append(fields, apperr.Field("course", KeyCourseLocked))
	}
	if after.Code != before.Code && !hasField(fields, "code") {
		taken, err := codeTaken(tx, after.Code, c.ID)
		if err != nil {
			return err
		}
		if taken {
			fields = append(fields, apperr.Field("code", KeyCodeTaken, "Code", after.Code))
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	if err := s.checkSeats(tx, c, p.in.Capacity); err != nil {
		return err
	}
	next := *c
	now := db.Now(tx, s.Clock)
	p.applyTo(&next, now)
	if err := checkSessionsFit(tx, &next); err != nil {
		return err
	}
	if next.VenueID != nil && (c.VenueID == nil || *c.VenueID != *next.VenueID) {
		if err := checkVenueForSessions(tx, &next); err != nil {
			return err
		}
	}
	raised := next.Capacity > c.Capacity
	*c = next
	if err := tx.Save(c).Error; err != nil {
		if db.IsDuplicate(err) {
			return apperr.Invalid(apperr.Field("code", KeyCodeTaken, "Code", after.Code))
		}
		return err
	}
	if err := audit.Record(tx, now, actor, audit.Entry{Action: "cohort.update", SubjectType: "cohort", SubjectID: c.ID,
		AgencyID: c.HostAgencyID, Details: audit.Diff(before, p.in)}); err != nil {
		return err
	}
	if raised {
		return s.seatsFreed(ctx, tx, actor, c.ID)
	}
	return nil
}

// checkSeats refuses a capacity below the seats taken or the quotas' sum.
func (s *Service) checkSeats(tx *gorm.DB, c *Cohort, capacity int) error {
	if capacity >= c.Capacity {
		return nil
	}
	if capacity < c.SeatsTaken {
		return apperr.New(CodeCapacityBelowTaken).WithArgs("Taken", c.SeatsTaken)
	}
	var sum int
	if err := tx.Model(&Quota{}).Where("cohort_id = ?", c.ID).Select("COALESCE(SUM(seats), 0)").Scan(&sum).Error; err != nil {
		return err
	}
	if capacity < sum {
		return apperr.New(CodeQuotasOverCapacity).WithArgs("Sum", sum, "Capacity", capacity)
	}
	return nil
}

// move changes c's status along the lifecycle.
func (s *Service) move(ctx context.Context, tx *gorm.DB, actor access.Actor, c *Cohort, to string) error {
	if !slices.Contains([]string{StatusDraft, StatusOpen, StatusInProgress, StatusCompleted, StatusCancelled}, to) {
		return apperr.Invalid(apperr.Field("status", "validation.oneof", "Values", "open, in_progress, cancelled"))
	}
	if to == StatusCompleted {
		return &apperr.Error{Code: CodeStatusTransition, Key: KeyCompleteElsewhere}
	}
	if !slices.Contains(transitions[c.Status], to) {
		return (&apperr.Error{Code: CodeStatusTransition, Key: KeyTransition}).WithArgs("From", c.Status, "To", to)
	}
	now := db.Now(tx, s.Clock)
	from := c.Status
	c.Status, c.UpdatedAt = to, now
	cols := []string{"status", "updated_at"}
	if to == StatusCancelled {
		c.CancelledAt = &now
		cols = append(cols, "cancelled_at")
	}
	if err := tx.Model(&Cohort{ID: c.ID}).Select(cols).Updates(c).Error; err != nil {
		return err
	}
	action := "cohort." + map[string]string{StatusOpen: "open", StatusInProgress: "start", StatusCancelled: "cancel"}[to]
	if err := audit.Record(tx, now, actor, audit.Entry{Action: action, SubjectType: "cohort", SubjectID: c.ID,
		AgencyID: c.HostAgencyID, Details: map[string]string{"from": from, "to": to}}); err != nil {
		return err
	}
	if to == StatusCancelled {
		return s.cancelled(ctx, tx, actor, c.ID)
	}
	return nil
}
