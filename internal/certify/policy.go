package certify

import (
	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db"
)

// Rule codes certify's refusals carry.
const (
	CodeNotCompletable   = "cohort_not_completable"   // draft, cancelled, or open before it starts
	CodeAlreadyCompleted = "cohort_already_completed" // a cohort completes once
	CodeRecordsClosed    = "cohort_records_closed"    // attendance and results of a completed or cancelled cohort are final
	CodeNotAssessable    = "enrollment_not_assessable"
	CodeAlreadyRevoked   = "certificate_already_revoked"
	CodePDFUnavailable   = "pdf_unavailable" // no Chromium to print with
)

// hostsCohort reports whether actor runs cohorts of host: its coordinators, and admins.
func hostsCohort(actor access.Actor, hostAgencyID string) bool {
	return actor.IsAdmin() || (actor.Has(access.Coordinator) && hostAgencyID != "" && actor.AgencyID == hostAgencyID)
}

// teachesSession reports whether actor is assigned to the session.
func teachesSession(tx *gorm.DB, actor access.Actor, sessionID string) (bool, error) {
	if actor.UserID == "" || !actor.Has(access.Instructor) {
		return false, nil
	}
	var n int64
	err := tx.Table("session_instructors").Where("session_id = ? AND instructor_id = ?", sessionID, actor.UserID).Count(&n).Error
	return n > 0, err
}

// teachesCohort reports whether actor is assigned to any session of the cohort.
func teachesCohort(tx *gorm.DB, actor access.Actor, cohortID string) (bool, error) {
	if actor.UserID == "" || !actor.Has(access.Instructor) {
		return false, nil
	}
	var n int64
	err := tx.Table("session_instructors si").Joins("JOIN cohort_sessions cs ON cs.id = si.session_id").
		Where("cs.cohort_id = ? AND si.instructor_id = ?", cohortID, actor.UserID).Count(&n).Error
	return n > 0, err
}

// loadCohort reads a cohort, locking it when lock is set; a missing one is not_found.
func loadCohort(tx *gorm.DB, id string, lock bool) (*cohort.Cohort, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	var c cohort.Cohort
	q := tx
	if lock {
		q = db.ForUpdate(tx)
	}
	err := q.Where("id = ?", id).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &c, err
}

// hostedCohort reads a cohort the actor hosts, else not_found.
func hostedCohort(tx *gorm.DB, actor access.Actor, id string, lock bool) (*cohort.Cohort, error) {
	c, err := loadCohort(tx, id, lock)
	if err != nil {
		return nil, err
	}
	if !hostsCohort(actor, c.HostAgencyID) {
		return nil, apperr.NotFound()
	}
	return c, nil
}

// assessableCohort reads a cohort whose results the actor may record: its
// host's coordinators, admins and the instructors who teach in it.
func assessableCohort(tx *gorm.DB, actor access.Actor, id string) (*cohort.Cohort, error) {
	c, err := loadCohort(tx, id, false)
	if err != nil {
		return nil, err
	}
	if hostsCohort(actor, c.HostAgencyID) {
		return c, nil
	}
	ok, err := teachesCohort(tx, actor, c.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.NotFound()
	}
	return c, nil
}

// recordsOpen refuses changes to the attendance and results of a finished cohort.
func recordsOpen(c *cohort.Cohort) error {
	if c.Status == cohort.StatusCompleted || c.Status == cohort.StatusCancelled {
		return apperr.New(CodeRecordsClosed)
	}
	return nil
}

// validID reports whether id has the shape of a record id, so a malformed one
// is not_found without a query (PostgreSQL refuses to compare it with a uuid).
func validID(id string) bool { return uuid.Validate(id) == nil }
