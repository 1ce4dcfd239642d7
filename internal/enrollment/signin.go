package enrollment

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db"
)

// ActionSignInSheet records a printed sign-in sheet: it carries names and
// service numbers out of the system, like an export.
const ActionSignInSheet = "roster.sign_in_sheet"

// SignInSheet is the roster a sign-in sheet prints: the people expected in
// the room (holding a seat, or finished when the cohort has ended), as
// Roster scopes them, or the whole cohort for an instructor who teaches in
// it, and records that it was printed.
func (s *Service) SignInSheet(ctx context.Context, actor access.Actor, cohortID string) (*Roster, error) {
	teaches, err := s.teachesCohort(ctx, actor, cohortID)
	if err != nil {
		return nil, err
	}
	var r *Roster
	if teaches {
		r, err = s.roster(ctx, actor, cohortID, true)
	} else {
		r, err = s.Roster(ctx, actor, cohortID)
	}
	if err != nil {
		return nil, err
	}
	rows := r.Rows[:0:0]
	for _, row := range r.Rows {
		switch row.Status {
		case StatusEnrolled, StatusCompleted, StatusFailed:
			rows = append(rows, row)
		}
	}
	r.Rows = rows
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		return s.record(tx, actor, audit.Entry{Action: ActionSignInSheet, SubjectType: "cohort", SubjectID: r.Cohort.ID,
			AgencyID: r.Cohort.HostAgencyID, Details: map[string]any{"people": len(rows), "whole_cohort": r.WholeCohort}})
	})
	return r, err
}

// teachesCohort reports whether actor is an instructor assigned to a
// session of the cohort.
func (s *Service) teachesCohort(ctx context.Context, actor access.Actor, cohortID string) (bool, error) {
	if actor.UserID == "" || !actor.Has(access.Instructor) || !validID(cohortID) {
		return false, nil
	}
	var n int64
	err := s.db(ctx).Table("session_instructors si").Joins("JOIN cohort_sessions cs ON cs.id = si.session_id").
		Where("cs.cohort_id = ? AND si.instructor_id = ?", cohortID, actor.UserID).Count(&n).Error
	return n > 0, err
}
