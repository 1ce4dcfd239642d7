package roster

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/validate"
)

// AssignInput is the body of POST /api/v1/sessions/{id}/instructors.
type AssignInput struct {
	InstructorID string `json:"instructor_id" form:"instructor_id" validate:"required,uuid"`
	Role         string `json:"role" form:"role" validate:"required,oneof=lead assistant"`
}

// Assign puts an instructor on a session: the cohort's host coordinator or
// an admin. It is refused with 409 and the clash named when the instructor
// already teaches an overlapping session anywhere (instructor_conflict), is
// unavailable then, or is not qualified for the course on that day, and
// when the session's venue or room is taken (venue_conflict). The
// session's and then the instructor's rows are locked, so two coordinators
// assigning at the same moment take turns and the second sees the first.
func (s *Service) Assign(ctx context.Context, actor access.Actor, sessionID string, in AssignInput) (*Assignment, error) {
	in.InstructorID = strings.ToLower(strings.TrimSpace(in.InstructorID))
	in.Role = strings.TrimSpace(in.Role)
	var out *Assignment
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		ses, c, err := cohort.ManagedSession(tx, actor, sessionID)
		if err != nil {
			return err
		}
		if err := validate.Struct(in); err != nil {
			return err
		}
		p, err := person(tx, in.InstructorID)
		if apperr.CodeOf(err) == apperr.CodeNotFound {
			return apperr.Invalid(apperr.Field("instructor_id", KeyNotInstructor))
		}
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		if err := lockProfile(tx, p.UserID, now); err != nil {
			return err
		}
		if err := checkSeat(tx, ses, p, in.Role); err != nil {
			return err
		}
		if err := checkTeaching(tx, c, ses, p); err != nil {
			return err
		}
		if c.VenueID != nil {
			ref, err := cohort.VenueClash(tx, *c.VenueID, ses.Room, ses.StartsAt, ses.EndsAt, ses.ID)
			if err != nil {
				return err
			}
			if ref != nil {
				return cohort.ClashError(cohort.CodeVenueConflict, *ref, cohort.ZoneOf(c.TimeZone))
			}
		}
		a := &Assignment{SessionID: ses.ID, InstructorID: p.UserID, Role: in.Role, StartsAt: ses.StartsAt.UTC(), EndsAt: ses.EndsAt.UTC(), CreatedAt: now}
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		out = a
		return audit.Record(tx, now, actor, audit.Entry{Action: "session.assign", SubjectType: "session", SubjectID: ses.ID,
			AgencyID: c.HostAgencyID, Details: map[string]string{"instructor_id": p.UserID, "role": in.Role, "cohort_id": c.ID}})
	})
	return out, err
}

// checkSeat refuses a second assignment of one person, or a second lead.
func checkSeat(tx *gorm.DB, ses *cohort.Session, p *Person, role string) error {
	var here []Assignment
	if err := tx.Where("session_id = ?", ses.ID).Find(&here).Error; err != nil {
		return err
	}
	for _, a := range here {
		if a.InstructorID == p.UserID {
			return apperr.New(CodeAlreadyAssigned).WithArgs("Instructor", p.FullName, "Role", a.Role)
		}
	}
	for _, a := range here {
		if role == RoleLead && a.Role == RoleLead {
			var name string
			_ = tx.Table("users").Select("full_name").Where("id = ?", a.InstructorID).Scan(&name).Error
			return apperr.New(CodeLeadTaken).WithArgs("Instructor", name)
		}
	}
	return nil
}

// Unassign takes an instructor off a session.
func (s *Service) Unassign(ctx context.Context, actor access.Actor, sessionID, instructorID string) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		ses, c, err := cohort.ManagedSession(tx, actor, sessionID)
		if err != nil {
			return err
		}
		if !validID(instructorID) {
			return apperr.NotFound()
		}
		res := tx.Where("session_id = ? AND instructor_id = ?", ses.ID, instructorID).Delete(&Assignment{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.NotFound()
		}
		return audit.Record(tx, db.Now(tx, s.Clock), actor, audit.Entry{Action: "session.unassign", SubjectType: "session", SubjectID: ses.ID,
			AgencyID: c.HostAgencyID, Details: map[string]string{"instructor_id": instructorID, "cohort_id": c.ID}})
	})
}

// SessionChanged moves the assignments of a session that moved with it and
// checks its instructors against their other sessions, unavailability and
// qualifications, inside the transaction that moves it (cohort.ScheduleWatcher).
func (s *Service) SessionChanged(ctx context.Context, tx *gorm.DB, actor access.Actor, c *cohort.Cohort, ses *cohort.Session) error {
	// Assignments keep a copy of the instants for the instructor overlap index.
	err := tx.Model(&Assignment{}).Where("session_id = ?", ses.ID).
		Updates(map[string]any{"starts_at": ses.StartsAt, "ends_at": ses.EndsAt}).Error
	if err != nil {
		return err
	}
	var here []Assignment
	if err := tx.Where("session_id = ?", ses.ID).Order("instructor_id").Find(&here).Error; err != nil {
		return err
	}
	for _, a := range here {
		p, err := person(tx, a.InstructorID)
		if apperr.CodeOf(err) == apperr.CodeNotFound {
			continue // no longer an instructor: the conflicts report shows it
		}
		if err != nil {
			return err
		}
		if err := lockProfile(tx, a.InstructorID, db.Now(tx, s.Clock)); err != nil {
			return err
		}
		if err := checkTeaching(tx, c, ses, p); err != nil {
			return err
		}
	}
	return nil
}
