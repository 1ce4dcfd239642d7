package catalog

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// Update applies a patch to the course with code. Only admins and
// coordinators of the owning agency may; others get not_found for a draft
// (they cannot know it exists) and forbidden for a published or archived
// course, which is public anyway. The audit event records what changed.
func (s *Service) Update(ctx context.Context, actor access.Actor, code string, p CoursePatch) (*Course, error) {
	return s.change(ctx, actor, code, "course.update", p)
}

// Publish makes a course visible in the public catalogue.
func (s *Service) Publish(ctx context.Context, actor access.Actor, code string) (*Course, error) {
	status := StatusPublished
	return s.change(ctx, actor, code, "course.publish", CoursePatch{Status: &status})
}

// Archive withdraws a course from the catalogue listing; it stays readable by
// code for the records that point at it.
func (s *Service) Archive(ctx context.Context, actor access.Actor, code string) (*Course, error) {
	status := StatusArchived
	return s.change(ctx, actor, code, "course.archive", CoursePatch{Status: &status})
}

// transitions lists the status changes allowed. A published course never
// returns to draft: cohorts may already be scheduled for it.
var transitions = map[string][]string{
	StatusDraft:     {StatusPublished, StatusArchived},
	StatusPublished: {StatusArchived},
	StatusArchived:  {StatusPublished},
}

func canMove(from, to string) bool {
	return from == to || slices.Contains(transitions[from], to)
}

func (s *Service) change(ctx context.Context, actor access.Actor, code, action string, p CoursePatch) (*Course, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	var out *Course
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		if p.Prerequisites != nil {
			if err := lockPrerequisiteGraph(tx); err != nil {
				return err
			}
		}
		c, err := editable(tx, actor, code)
		if err != nil {
			return err
		}
		before, err := inputOf(tx, c)
		if err != nil {
			return err
		}
		after := before
		p.applyTo(&after)
		after.normalize()
		after.OwnerAgencyID = strings.ToLower(after.OwnerAgencyID)
		fields, err := s.checkChange(tx, actor, c, before, &after)
		if err != nil {
			return err
		}
		var prereqIDs []string
		if !hasField(fields, "prerequisites") {
			ids, pf, err := checkPrerequisites(tx, actor, c.ID, &after, before.Prerequisites)
			if err != nil {
				return err
			}
			prereqIDs, fields = ids, append(fields, pf...)
		}
		if len(fields) > 0 {
			return apperr.Invalid(fields...)
		}
		after.sortLists()
		out = c
		diff := audit.Diff(before, after)
		if len(diff) == 0 {
			return nil // nothing changed: nothing to write or record
		}
		now := db.Now(tx, s.Clock)
		if err := writeCourse(tx, c, after, prereqIDs, now); err != nil {
			return err
		}
		return audit.Record(tx, now, actor, audit.Entry{
			Action: action, SubjectType: "course", SubjectID: c.ID,
			AgencyID: c.OwnerAgencyID, Details: diff,
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkChange applies the rules that compare the course before and after:
// input validity, ownership changes (admins only), status transitions and a
// new code that is taken.
func (s *Service) checkChange(tx *gorm.DB, actor access.Actor, c *Course, before CourseInput, after *CourseInput) ([]apperr.FieldError, error) {
	fields, err := after.check()
	if err != nil {
		return nil, err
	}
	if after.OwnerAgencyID != before.OwnerAgencyID {
		if !actor.IsAdmin() {
			fields = append(fields, apperr.Field("owner_agency_id", KeyOwnerAgencyNotAllowed))
		} else if !hasField(fields, "owner_agency_id") {
			af, err := checkAgency(tx, after.OwnerAgencyID)
			if err != nil {
				return nil, err
			}
			fields = append(fields, af...)
		}
	}
	if !hasField(fields, "status") && !canMove(before.Status, after.Status) {
		fields = append(fields, apperr.Field("status", KeyStatusTransition, "From", before.Status, "To", after.Status))
	}
	if after.Code != before.Code && !hasField(fields, "code") {
		taken, err := codeTaken(tx, after.Code, c.ID)
		if err != nil {
			return nil, err
		}
		if taken {
			fields = append(fields, apperr.Field("code", KeyCodeTaken, "Code", after.Code))
		}
	}
	return fields, nil
}

// editable loads the course with code for a change, locked against
// concurrent edits, or answers not_found or forbidden.
func editable(tx *gorm.DB, actor access.Actor, code string) (*Course, error) {
	var c Course
	// NO KEY UPDATE: other transactions may still reference the row meanwhile.
	err := tx.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).Where("code = ?", NormalizeCode(code)).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if !actor.CanManageCatalog(c.OwnerAgencyID) {
		if canSee(actor, c.Status, c.OwnerAgencyID) {
			return nil, apperr.New(apperr.CodeForbidden)
		}
		return nil, apperr.NotFound()
	}
	return &c, nil
}

// inputOf is the stored course as a CourseInput, the shape patches apply to.
func inputOf(tx *gorm.DB, c *Course) (CourseInput, error) {
	in := CourseInput{
		Code: c.Code, OwnerAgencyID: c.OwnerAgencyID, Title: c.Title, Summary: c.Summary,
		Description: c.Description, Discipline: c.Discipline, Level: c.Level, Delivery: c.Delivery,
		DurationHours: c.DurationHours, PassMark: c.PassMark, MinAttendancePercent: c.MinAttendancePercent,
		ValidityMonths: c.ValidityMonths, Status: c.Status,
	}
	langs, err := languagesOf(tx, []string{c.ID})
	if err != nil {
		return in, err
	}
	in.Languages = langs[c.ID]
	refs, err := prerequisitesOf(tx, c.ID)
	if err != nil {
		return in, err
	}
	in.Prerequisites = []string{}
	for _, r := range refs {
		in.Prerequisites = append(in.Prerequisites, r.Code)
	}
	return in, nil
}
