package certify

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/validate"
)

// ResultInput is PUT /api/v1/enrollments/{id}/result.
type ResultInput struct {
	Score *int `json:"score" validate:"required,min=0,max=100"`
}

// Result is an enrollment's score with who assessed it and when.
type Result struct {
	EnrollmentID string     `json:"enrollment_id"`
	Score        *int       `json:"score"`
	AssessedBy   *string    `json:"assessed_by"`
	AssessedAt   *time.Time `json:"assessed_at"`
}

// ResultsSheet is a cohort's trainees with their attendance and scores.
type ResultsSheet struct {
	Cohort   CohortInfo  `json:"cohort"`
	Closed   bool        `json:"closed"`
	Sessions int         `json:"sessions"`
	Rows     []ResultRow `json:"results"`
}

// ResultRow is one trainee's attendance and score.
type ResultRow struct {
	EnrollmentID string     `json:"enrollment_id"`
	UserID       string     `json:"user_id"`
	Name         string     `json:"name"`
	NameLatin    string     `json:"name_latin,omitempty"`
	Agency       string     `json:"agency"`
	Status       string     `json:"status"`
	Attended     int        `json:"attended"`
	Score        *int       `json:"score"`
	AssessorName string     `json:"assessed_by_name,omitempty"`
	AssessedAt   *time.Time `json:"assessed_at,omitempty"`
}

// RecordResult sets an enrollment's score; the audit event keeps the old one.
// The cohort's instructors and its host's coordinators may record results.
func (s *Service) RecordResult(ctx context.Context, actor access.Actor, enrollmentID string, in ResultInput) (*Result, error) {
	var out *Result
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		e, c, err := assessableEnrollment(tx, actor, enrollmentID)
		if err != nil {
			return err
		}
		if err := recordsOpen(c); err != nil {
			return err
		}
		if err := validate.Struct(in); err != nil {
			return err
		}
		if e.Status != enrollmentEnrolled {
			return apperr.New(CodeNotAssessable).WithArgs("Status", e.Status)
		}
		out, err = s.writeScore(ctx, tx, actor, e, *in.Score)
		return err
	})
	return out, err
}

// Results lists a cohort's trainees with attendance and scores.
func (s *Service) Results(ctx context.Context, actor access.Actor, cohortID string) (*ResultsSheet, error) {
	tx := s.db(ctx)
	c, err := assessableCohort(tx, actor, cohortID)
	if err != nil {
		return nil, err
	}
	info, err := cohortInfo(tx, c.ID)
	if err != nil {
		return nil, err
	}
	sheet := &ResultsSheet{Cohort: *info, Closed: recordsOpen(c) != nil, Rows: []ResultRow{}}
	if sheet.Sessions, err = countSessions(tx, c.ID); err != nil {
		return nil, err
	}
	err = tx.Table("enrollments e").
		Select(`e.id AS enrollment_id, e.user_id, u.full_name AS name, u.full_name_latin AS name_latin, ag.short_name AS agency,
			e.status, e.score, COALESCE(asr.full_name, '') AS assessor_name, e.assessed_at,
			(SELECT COUNT(*) FROM attendance a JOIN cohort_sessions cs ON cs.id = a.session_id
			  WHERE a.enrollment_id = e.id AND cs.cohort_id = e.cohort_id AND a.status IN ('present', 'late')) AS attended`).
		Joins("JOIN users u ON u.id = e.user_id").
		Joins("JOIN agencies ag ON ag.id = e.agency_id").
		Joins("LEFT JOIN users asr ON asr.id = e.assessed_by").
		Where("e.cohort_id = ? AND e.status IN ?", c.ID, rollStatuses).
		Order("u.full_name, e.id").Scan(&sheet.Rows).Error
	return sheet, err
}

// RecordResults sets several scores of a cohort at once, from the results
// form: scores maps enrollment ids to the typed text, blank leaving a score
// as it is. Errors name the form field "score[<enrollment id>]".
func (s *Service) RecordResults(ctx context.Context, actor access.Actor, cohortID string, scores map[string]string) (*ResultsSheet, error) {
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := assessableCohort(tx, actor, cohortID)
		if err != nil {
			return err
		}
		if err := recordsOpen(c); err != nil {
			return err
		}
		var seated []assessed
		if err := tx.Table("enrollments").Where("cohort_id = ? AND status = ?", c.ID, enrollmentEnrolled).Order("queue_no").Find(&seated).Error; err != nil {
			return err
		}
		var fields []apperr.FieldError
		type change struct {
			e     assessed
			score int
		}
		var changes []change
		for _, e := range seated {
			text := strings.TrimSpace(i18n.NormalizeDigits(scores[e.ID]))
			if text == "" {
				continue
			}
			n, err := strconv.Atoi(text)
			switch {
			case err != nil:
				fields = append(fields, apperr.Field("score["+e.ID+"]", "validation.type", "Type", "number"))
			case n < 0 || n > 100:
				fields = append(fields, apperr.Field("score["+e.ID+"]", "certify.score_range"))
			case e.Score == nil || *e.Score != n:
				changes = append(changes, change{e, n})
			}
		}
		if len(fields) > 0 {
			return apperr.Invalid(fields...)
		}
		for _, ch := range changes {
			if _, err := s.writeScore(ctx, tx, actor, &ch.e, ch.score); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Results(ctx, actor, cohortID)
}

// writeScore has enrollment store a score with its assessor, audited there.
func (s *Service) writeScore(ctx context.Context, tx *gorm.DB, actor access.Actor, e *assessed, score int) (*Result, error) {
	if s.Enrollments == nil {
		return nil, errNotWired
	}
	now := db.Now(tx, s.Clock)
	if err := s.Enrollments.Assessed(ctx, tx, actor, e.ID, score, now); err != nil {
		return nil, err
	}
	var by *string
	if actor.UserID != "" {
		by = &actor.UserID
	}
	return &Result{EnrollmentID: e.ID, Score: &score, AssessedBy: by, AssessedAt: &now}, nil
}

// assessableEnrollment reads an enrollment whose result the actor may record.
func assessableEnrollment(tx *gorm.DB, actor access.Actor, id string) (*assessed, *cohort.Cohort, error) {
	if !validID(id) {
		return nil, nil, apperr.NotFound()
	}
	var e assessed
	err := tx.Table("enrollments").Where("id = ?", id).Take(&e).Error
	if db.IsNotFound(err) {
		return nil, nil, apperr.NotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := assessableCohort(tx, actor, e.CohortID)
	if err != nil {
		return nil, nil, err
	}
	return &e, c, nil
}
