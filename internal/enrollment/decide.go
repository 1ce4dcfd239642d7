package enrollment

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// Decision is the body of a rejection (reason required) or a withdrawal.
type Decision struct {
	Reason string `json:"reason" form:"reason" validate:"max=1000"`
}

// rejection needs a reason the trainee can read.
type rejection struct {
	Reason string `json:"reason" validate:"notblank,max=1000"`
}

// Approve gives a pending request a seat, or a place on the waitlist when
// the cohort or the agency's quota is full.
func (s *Service) Approve(ctx context.Context, actor access.Actor, id string) (*Row, error) {
	return s.approve(ctx, actor, "", id)
}

// approve is Approve of an enrollment in cohortID ("" for any).
func (s *Service) approve(ctx context.Context, actor access.Actor, cohortID, id string) (*Row, error) {
	return s.change(ctx, actor, id, CanDecide, inCohort(cohortID, func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
		if e.Status != StatusPending {
			return wrongStatus(KeyNotPending, e.Status)
		}
		if c.Status != cohort.StatusOpen {
			return (&apperr.Error{Code: CodeCohortNotOpen, Key: KeyNotOpenStatus}).WithArgs("Status", c.Status)
		}
		if s.started(c) {
			return apperr.New(CodeCohortStarted)
		}
		f := &facts{cohort: c}
		if err := tx.Where("cohort_id = ?", c.ID).Find(&f.quotas).Error; err != nil {
			return err
		}
		status := f.placement(e.AgencyID, true)
		if status == StatusEnrolled {
			if err := moveSeat(tx, c, e.AgencyID, len(f.quotas) > 0, 1); err != nil {
				return err
			}
		}
		return s.decide(tx, actor, ActionApprove, e, status, "")
	}))
}

// Reject refuses a request with a reason the trainee sees. A pending request
// may be rejected at any time; a seat or waitlist place only before the
// cohort starts. A freed seat goes to the waitlist.
func (s *Service) Reject(ctx context.Context, actor access.Actor, id string, in Decision) (*Row, error) {
	return s.reject(ctx, actor, "", id, in)
}

// reject is Reject of an enrollment in cohortID ("" for any).
func (s *Service) reject(ctx context.Context, actor access.Actor, cohortID, id string, in Decision) (*Row, error) {
	in.Reason = plaintext.Block(in.Reason)
	if err := validate.Struct(rejection(in)); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, id, CanDecide, inCohort(cohortID, func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
		return s.end(tx, actor, ActionReject, c, e, StatusRejected, in.Reason)
	}))
}

// inCohort narrows a change to the enrollments of cohortID: another
// cohort's enrollment is not found there.
func inCohort(cohortID string, fn func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error) func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
	return func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
		if cohortID != "" && e.CohortID != cohortID {
			return apperr.NotFound()
		}
		return fn(tx, c, e)
	}
}

// Withdraw ends a request by its trainee, or by a coordinator of their
// agency, before the cohort starts (a pending one at any time). A freed seat
// goes to the waitlist.
func (s *Service) Withdraw(ctx context.Context, actor access.Actor, id string, in Decision) (*Row, error) {
	in.Reason = plaintext.Block(in.Reason)
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	may := func(a access.Actor, agencyID string) bool { return true } // checked below with the enrollment
	return s.change(ctx, actor, id, may, func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
		if !CanWithdraw(actor, e) {
			return apperr.New(apperr.CodeForbidden)
		}
		return s.end(tx, actor, ActionWithdraw, c, e, StatusWithdrawn, in.Reason)
	})
}

// NoShow marks an enrolled trainee who did not come, once the cohort has
// started. The seat's count is freed, but nobody is promoted so late.
func (s *Service) NoShow(ctx context.Context, actor access.Actor, id string) (*Row, error) {
	return s.change(ctx, actor, id, CanDecide, func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
		if e.Status != StatusEnrolled {
			return wrongStatus(KeyNotEnrolled, e.Status)
		}
		if !s.started(c) {
			return apperr.New(CodeCohortNotStarted).WithArgs("Starts", dateOf(c.StartsOn).Format(cohort.DateLayout))
		}
		if err := s.freeSeat(tx, c, e); err != nil {
			return err
		}
		return s.decide(tx, actor, ActionNoShow, e, StatusNoShow, "")
	})
}

// end closes a live request as rejected or withdrawn and, if it held a
// seat, gives the seat to the waitlist.
func (s *Service) end(tx *gorm.DB, actor access.Actor, action string, c *cohort.Cohort, e *Enrollment, status, reason string) error {
	switch {
	case e.Status == StatusPending:
	case e.Status == StatusEnrolled || e.Status == StatusWaitlisted:
		if s.started(c) {
			return apperr.New(CodeCohortStarted).WithArgs("Starts", dateOf(c.StartsOn).Format(cohort.DateLayout))
		}
	default:
		return wrongStatus(KeyNotLive, e.Status)
	}
	held := e.Status == StatusEnrolled
	if held {
		if err := s.freeSeat(tx, c, e); err != nil {
			return err
		}
	}
	if err := s.decide(tx, actor, action, e, status, reason); err != nil {
		return err
	}
	if held {
		return s.promote(tx, actor, c, action)
	}
	return nil
}

// freeSeat gives back the seat e holds, to the cohort and its agency's quota.
func (s *Service) freeSeat(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error {
	var n int64
	if err := tx.Model(&cohort.Quota{}).Where("cohort_id = ?", c.ID).Count(&n).Error; err != nil {
		return err
	}
	return moveSeat(tx, c, e.AgencyID, n > 0, -1)
}

// decide records a decision on e: its new status, who decided, when and
// why, its audit event and the trainee's notice.
func (s *Service) decide(tx *gorm.DB, actor access.Actor, action string, e *Enrollment, status, reason string) error {
	from := e.Status
	now := db.Now(tx, s.Clock)
	updates := map[string]any{"status": status, "decided_at": now, "updated_at": now}
	if actor.UserID != "" {
		updates["decided_by"] = actor.UserID
	}
	if reason != "" {
		updates["reason"] = reason
	}
	res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", e.ID, from).Updates(updates)
	if err := counted(res, "enrollment "+e.ID); err != nil {
		return err
	}
	e.Status, e.DecidedAt, e.UpdatedAt = status, &now, now
	if actor.UserID != "" {
		e.DecidedBy = &actor.UserID
	}
	if reason != "" {
		e.Reason = reason
	}
	ch := change{From: from, QueueNo: e.QueueNo, Reason: reason}
	if status == StatusWaitlisted {
		pos, err := waitlistPosition(tx, e)
		if err != nil {
			return err
		}
		ch.WaitlistPosition = pos.Overall
	}
	if err := s.audit(tx, actor, action, e, ch); err != nil {
		return err
	}
	if actor.UserID != e.UserID {
		return s.tell(tx, Notice{Kind: NoticeDecided, Enrollment: *e, WaitlistPosition: ch.WaitlistPosition})
	}
	return nil
}

// change runs fn on enrollment id with its cohort's row locked, after
// checking actor may act for the trainee's agency, and answers the row as
// it then stands.
func (s *Service) change(ctx context.Context, actor access.Actor, id string, may func(access.Actor, string) bool,
	fn func(tx *gorm.DB, c *cohort.Cohort, e *Enrollment) error) (*Row, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	var row *Row
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		e, c, err := lockEnrollment(tx, actor, id)
		if err != nil {
			return err
		}
		if !may(actor, e.AgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		if err := fn(tx, c, e); err != nil {
			return err
		}
		row, err = rowByID(tx, id)
		return err
	})
	return row, err
}

func wrongStatus(key, status string) error {
	e := &apperr.Error{Code: CodeWrongStatus, Key: key}
	e.WithArgs("Status", status)
	e.Details = map[string]any{"status": status}
	return e
}
