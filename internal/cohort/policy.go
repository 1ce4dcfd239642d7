package cohort

import (
	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
)

// CanManage reports whether actor may change the cohorts hosted by agency,
// their quotas and schedules: admins, and coordinators of that agency.
func CanManage(actor access.Actor, hostAgencyID string) bool {
	return actor.IsAdmin() || (hostAgencyID != "" && actor.Has(access.Coordinator) && actor.AgencyID == hostAgencyID)
}

// CanSee reports whether actor may see cohort c: everybody once it is
// open, only its managers while it is a draft.
func CanSee(actor access.Actor, c *Cohort) bool {
	return c.Status != StatusDraft || CanManage(actor, c.HostAgencyID)
}

// Closed reports whether a cohort's record is final: nothing about it changes.
func (c *Cohort) Closed() bool { return c.Status == StatusCompleted || c.Status == StatusCancelled }

// validID reports whether id can be a stored id: PostgreSQL refuses
// malformed uuids with an error rather than finding nothing.
func validID(id string) bool { return uuid.Validate(id) == nil }

// Load reads cohort id inside tx as actor may see it, else not_found.
func Load(tx *gorm.DB, actor access.Actor, id string) (*Cohort, error) {
	return load(tx, actor, id, false)
}

func load(tx *gorm.DB, actor access.Actor, id string, lock bool) (*Cohort, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	q := tx
	if lock {
		q = db.ForUpdate(tx)
	}
	var c Cohort
	err := q.Where("id = ?", id).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if !CanSee(actor, &c) {
		return nil, apperr.NotFound()
	}
	return &c, nil
}

// Managed reads cohort id for a change by actor inside tx, with its row
// locked (enrollment locks the same row): not_found when actor cannot see
// it, forbidden when they may see but not manage it, cohort_not_editable
// once it is completed or cancelled.
func Managed(tx *gorm.DB, actor access.Actor, id string) (*Cohort, error) {
	return managed(tx, actor, id, true)
}

func managed(tx *gorm.DB, actor access.Actor, id string, lock bool) (*Cohort, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	c, err := load(tx, actor, id, lock)
	if err != nil {
		return nil, err
	}
	if !CanManage(actor, c.HostAgencyID) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	if c.Closed() {
		return nil, apperr.New(CodeNotEditable).WithArgs("Status", c.Status)
	}
	return c, nil
}

// ManagedSession reads session id and its cohort for a change by actor,
// the session's row locked; the cohort's rules are those of Managed but its
// row is not locked, so schedules never wait for enrollments.
func ManagedSession(tx *gorm.DB, actor access.Actor, id string) (*Session, *Cohort, error) {
	if !actor.SignedIn() {
		return nil, nil, apperr.New(apperr.CodeUnauthorized)
	}
	if !validID(id) {
		return nil, nil, apperr.NotFound()
	}
	var s Session
	err := db.ForUpdate(tx).Where("id = ?", id).Take(&s).Error
	if db.IsNotFound(err) {
		return nil, nil, apperr.NotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	s.StartsAt, s.EndsAt = s.StartsAt.UTC(), s.EndsAt.UTC()
	c, err := load(tx, actor, s.CohortID, false)
	if err != nil {
		return nil, nil, err
	}
	if !CanManage(actor, c.HostAgencyID) {
		return nil, nil, apperr.New(apperr.CodeForbidden)
	}
	if c.Closed() {
		return nil, nil, apperr.New(CodeNotEditable).WithArgs("Status", c.Status)
	}
	return &s, c, nil
}
