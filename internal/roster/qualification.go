package roster

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/validate"
)

// QualificationInput lets an instructor teach a course (by code), until
// ExpiresOn ("YYYY-MM-DD") if given.
type QualificationInput struct {
	Course    string `json:"course" validate:"required,max=12"`
	ExpiresOn string `json:"expires_on"`
}

// QualificationsInput is the body of PUT /api/v1/instructors/{id}/qualifications.
type QualificationsInput struct {
	Qualifications []QualificationInput `json:"qualifications" validate:"required,max=100,dive"`
}

// SetQualifications replaces the courses an instructor may teach:
// coordinators of the instructor's agency and admins. Assignments already
// made stay; the cohort's conflicts report lists those no longer covered.
func (s *Service) SetQualifications(ctx context.Context, actor access.Actor, id string, in QualificationsInput) (*Instructor, error) {
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p, err := visiblePerson(tx, actor, id)
		if err != nil {
			return err
		}
		if !canManage(actor, p.AgencyID) {
			return apperr.New(apperr.CodeForbidden)
		}
		rows, err := qualificationRows(tx, id, in)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		if err := lockProfile(tx, id, now); err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", id).Delete(&Qualification{}).Error; err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := tx.Create(&rows).Error; err != nil {
				return err
			}
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "instructor.qualifications", SubjectType: "user", SubjectID: id,
			AgencyID: p.AgencyID, Details: in})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, id)
}

// qualificationRows checks the input and resolves course codes.
func qualificationRows(tx *gorm.DB, id string, in QualificationsInput) ([]Qualification, error) {
	fields := fieldsOf(validate.Struct(in))
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	seen := map[string]bool{}
	rows := make([]Qualification, 0, len(in.Qualifications))
	for i, q := range in.Qualifications {
		code := strings.ToUpper(strings.TrimSpace(q.Course))
		prefix := "qualifications[" + itoa(i) + "]."
		var courseID string
		if err := tx.Table("courses").Select("id").Where("code = ?", code).Scan(&courseID).Error; err != nil {
			return nil, err
		}
		switch {
		case courseID == "":
			fields = append(fields, apperr.Field(prefix+"course", KeyUnknownCourse, "Code", code))
			continue
		case seen[courseID]:
			fields = append(fields, apperr.Field(prefix+"course", "validation.unique"))
			continue
		}
		seen[courseID] = true
		row := Qualification{UserID: id, CourseID: courseID}
		if e := strings.TrimSpace(q.ExpiresOn); e != "" {
			d, ok := cohort.ParseDate(e)
			if !ok {
				fields = append(fields, apperr.Field(prefix+"expires_on", KeyDate, "Example", "2027-12-31"))
				continue
			}
			row.ExpiresOn = &d
		}
		rows = append(rows, row)
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	return rows, nil
}

// qualifiedOn reports whether instructor id may teach course on day (a
// calendar day at midnight UTC), and the expiry that stops them if any.
func qualifiedOn(tx *gorm.DB, id, courseID string, day time.Time) (bool, *time.Time, error) {
	var qs []Qualification
	if err := tx.Where("user_id = ? AND course_id = ?", id, courseID).Limit(1).Find(&qs).Error; err != nil {
		return false, nil, err
	}
	if len(qs) == 0 {
		return false, nil, nil
	}
	if e := qs[0].ExpiresOn; e != nil && e.UTC().Before(day) {
		exp := e.UTC()
		return false, &exp, nil
	}
	return true, nil, nil
}
