package catalog

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
)

// CourseRef names another course: a prerequisite.
type CourseRef struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Status string `json:"status"`
}

// CourseDetail is a course as GET /api/v1/courses/{code} shows it, with its
// languages of instruction and prerequisites.
type CourseDetail struct {
	Course
	Languages     []string    `json:"languages"`
	Prerequisites []CourseRef `json:"prerequisites"`
}

// Get returns the course with code (any case). A draft is visible only to
// admins and coordinators of the owning agency, else not_found; archived
// courses stay readable for the records that point at them.
func (s *Service) Get(ctx context.Context, actor access.Actor, code string) (*CourseDetail, error) {
	tx := s.db(ctx)
	var c Course
	err := tx.Where("code = ?", NormalizeCode(code)).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if !canSee(actor, c.Status, c.OwnerAgencyID) {
		return nil, apperr.NotFound()
	}
	langs, err := languagesOf(tx, []string{c.ID})
	if err != nil {
		return nil, err
	}
	refs, err := prerequisitesOf(tx, c.ID)
	if err != nil {
		return nil, err
	}
	d := &CourseDetail{Course: c, Languages: langs[c.ID], Prerequisites: refs}
	if d.Languages == nil {
		d.Languages = []string{}
	}
	return d, nil
}

// languagesOf returns the languages of each course, in alphabetical order.
func languagesOf(tx *gorm.DB, courseIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(courseIDs) == 0 {
		return out, nil
	}
	var rows []CourseLanguage
	err := tx.Where("course_id IN ?", courseIDs).Order("course_id, language").Find(&rows).Error
	for _, r := range rows {
		out[r.CourseID] = append(out[r.CourseID], r.Language)
	}
	return out, err
}

// prerequisitesOf returns the courses that course id requires, by code.
func prerequisitesOf(tx *gorm.DB, id string) ([]CourseRef, error) {
	refs := []CourseRef{}
	err := tx.Table("course_prerequisites AS cp").Select("p.code, p.title, p.status").
		Joins("JOIN courses p ON p.id = cp.prerequisite_id").
		Where("cp.course_id = ?", id).Order("p.code").Scan(&refs).Error
	return refs, err
}
