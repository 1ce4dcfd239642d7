package catalog

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/db"
)

// courseColumns are written on every save; id and created_at only on insert.
var courseColumns = []string{
	"code", "owner_agency_id", "title", "summary", "description", "discipline", "level",
	"delivery", "duration_hours", "pass_mark", "min_attendance_percent", "validity_months",
	"status", "translations", "search_text", "updated_at",
}

// writeCourse stores in as course c (inserted when c.ID is empty) and
// replaces its languages and prerequisites.
func writeCourse(tx *gorm.DB, c *Course, in CourseInput, prereqIDs []string, now time.Time) error {
	c.Code, c.OwnerAgencyID = in.Code, in.OwnerAgencyID
	c.Title, c.Summary, c.Description = in.Title, in.Summary, in.Description
	c.Discipline, c.Level, c.Delivery = in.Discipline, in.Level, in.Delivery
	c.DurationHours, c.PassMark = in.DurationHours, in.PassMark
	c.MinAttendancePercent, c.ValidityMonths = in.MinAttendancePercent, in.ValidityMonths
	c.Status, c.Translations = in.Status, in.Translations
	c.SearchText = SearchText(in.Code, in.Title, in.Summary, in.Translations)
	c.UpdatedAt = now
	var err error
	if c.ID == "" {
		c.ID = uuid.Must(uuid.NewV7()).String() // time-ordered ids keep the primary key index compact
		c.CreatedAt = now
		err = tx.Create(c).Error
	} else {
		err = tx.Model(&Course{ID: c.ID}).Select(courseColumns).Updates(c).Error
	}
	if db.IsDuplicate(err) {
		return apperr.Invalid(apperr.Field("code", KeyCodeTaken, "Code", in.Code))
	}
	if err != nil {
		return err
	}
	if err := tx.Where("course_id = ?", c.ID).Delete(&CourseLanguage{}).Error; err != nil {
		return err
	}
	langs := make([]CourseLanguage, 0, len(in.Languages))
	for _, l := range in.Languages {
		langs = append(langs, CourseLanguage{CourseID: c.ID, Language: l})
	}
	if err := tx.Create(&langs).Error; err != nil {
		return err
	}
	if err := tx.Where("course_id = ?", c.ID).Delete(&CoursePrerequisite{}).Error; err != nil {
		return err
	}
	if len(prereqIDs) == 0 {
		return nil
	}
	edges := make([]CoursePrerequisite, 0, len(prereqIDs))
	for _, id := range prereqIDs {
		edges = append(edges, CoursePrerequisite{CourseID: c.ID, PrerequisiteID: id})
	}
	return tx.Create(&edges).Error
}

// codeTaken reports whether another course than selfID already has code.
func codeTaken(tx *gorm.DB, code, selfID string) (bool, error) {
	q := tx.Model(&Course{}).Where("code = ?", code)
	if selfID != "" {
		q = q.Where("id <> ?", selfID)
	}
	var n int64
	err := q.Count(&n).Error
	return n > 0, err
}

// agencyExists reports whether an agency has id.
func agencyExists(tx *gorm.DB, id string) (bool, error) {
	var n int64
	err := tx.Table("agencies").Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// sortLists orders languages and prerequisites, so stored and compared
// lists do not differ by order alone (the tables keep no order).
func (in *CourseInput) sortLists() {
	slices.Sort(in.Languages)
	slices.Sort(in.Prerequisites)
}

// hasField reports whether fields holds a message about field or its items.
func hasField(fields []apperr.FieldError, field string) bool {
	return slices.ContainsFunc(fields, func(f apperr.FieldError) bool {
		return f.Field == field || strings.HasPrefix(f.Field, field+"[")
	})
}
