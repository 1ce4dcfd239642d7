package certify

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/validate"
)

// SessionInfo names a session and its cohort for the roll.
type SessionInfo struct {
	ID          string    `json:"id"`
	CohortID    string    `json:"cohort_id"`
	CohortCode  string    `json:"cohort_code"`
	CourseCode  string    `json:"course_code"`
	CourseTitle string    `json:"course_title"`
	Topic       string    `json:"topic"`
	Room        string    `json:"room"`
	TimeZone    string    `json:"time_zone"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
}

// Local is the session's start in its cohort's time zone, for display.
func (si SessionInfo) Local() time.Time {
	if loc, err := time.LoadLocation(si.TimeZone); err == nil {
		return si.StartsAt.In(loc)
	}
	return si.StartsAt
}

// AttendanceSheet is a session's roll: every trainee of the cohort with their mark.
type AttendanceSheet struct {
	Session SessionInfo     `json:"session"`
	Closed  bool            `json:"closed"` // the cohort is completed or cancelled
	Records []AttendanceRow `json:"records"`
}

// AttendanceRow is one trainee on the roll; Status is "" until recorded.
type AttendanceRow struct {
	EnrollmentID string     `json:"enrollment_id"`
	UserID       string     `json:"user_id"`
	Name         string     `json:"name"`
	NameLatin    string     `json:"name_latin,omitempty"`
	Agency       string     `json:"agency"`
	Status       string     `json:"status"`
	RecordedAt   *time.Time `json:"recorded_at,omitempty"`
}

// AttendanceInput is PUT /api/v1/sessions/{id}/attendance.
type AttendanceInput struct {
	Records []AttendanceRecord `json:"records" validate:"required,min=1,max=1000,dive"`
}

// AttendanceRecord marks one enrollment at the session.
type AttendanceRecord struct {
	EnrollmentID string `json:"enrollment_id" validate:"required,uuid"`
	Status       string `json:"status" validate:"required,oneof=present late absent excused"`
}

// Attendance returns the roll of a session to its instructors and its host's
// coordinators; anyone else gets not_found.
func (s *Service) Attendance(ctx context.Context, actor access.Actor, sessionID string) (*AttendanceSheet, error) {
	tx := s.db(ctx)
	info, c, err := sessionInScope(tx, actor, sessionID)
	if err != nil {
		return nil, err
	}
	rows := []AttendanceRow{}
	err = tx.Table("enrollments e").
		Select("e.id AS enrollment_id, e.user_id, u.full_name AS name, u.full_name_latin AS name_latin, ag.short_name AS agency, COALESCE(a.status, '') AS status, a.recorded_at").
		Joins("JOIN users u ON u.id = e.user_id").
		Joins("JOIN agencies ag ON ag.id = e.agency_id").
		Joins("LEFT JOIN attendance a ON a.enrollment_id = e.id AND a.session_id = ?", sessionID).
		Where("e.cohort_id = ? AND e.status IN ?", c.ID, rollStatuses).
		Order("u.full_name, e.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	return &AttendanceSheet{Session: *info, Closed: recordsOpen(c) != nil, Records: rows}, nil
}

// rollStatuses are the enrollments a roll lists: seated trainees, and after
// completion their outcome.
var rollStatuses = []string{enrollmentEnrolled, enrollmentCompleted, enrollmentFailed}

// RecordAttendance sets the marks of enrolled trainees at a session, in one
// transaction with an audit event that keeps each changed mark's old value.
func (s *Service) RecordAttendance(ctx context.Context, actor access.Actor, sessionID string, in AttendanceInput) (*AttendanceSheet, error) {
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		_, c, err := sessionInScope(tx, actor, sessionID)
		if err != nil {
			return err
		}
		if err := recordsOpen(c); err != nil {
			return err
		}
		if err := validate.Struct(in); err != nil {
			return err
		}
		if err := checkRoll(tx, c.ID, in.Records); err != nil {
			return err
		}
		return s.writeMarks(tx, actor, sessionID, c, in.Records)
	})
	if err != nil {
		return nil, err
	}
	return s.Attendance(ctx, actor, sessionID)
}

// checkRoll refuses marks for anyone not seated in the cohort, and repeats.
func checkRoll(tx *gorm.DB, cohortID string, records []AttendanceRecord) error {
	ids := make([]string, len(records))
	for i, r := range records {
		ids[i] = r.EnrollmentID
	}
	var seated []string
	if err := tx.Table("enrollments").Where("cohort_id = ? AND status = ? AND id IN ?", cohortID, enrollmentEnrolled, ids).
		Pluck("id", &seated).Error; err != nil {
		return err
	}
	known := map[string]bool{}
	for _, id := range seated {
		known[id] = true
	}
	seen := map[string]bool{}
	var fields []apperr.FieldError
	for i, r := range records {
		name := fmt.Sprintf("records[%d].enrollment_id", i)
		switch {
		case !known[r.EnrollmentID]:
			fields = append(fields, apperr.Field(name, "certify.not_on_roll"))
		case seen[r.EnrollmentID]:
			fields = append(fields, apperr.Field(name, "validation.unique"))
		}
		seen[r.EnrollmentID] = true
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	return nil
}

// writeMarks upserts the marks that changed and audits them with their old values.
func (s *Service) writeMarks(tx *gorm.DB, actor access.Actor, sessionID string, c *cohort.Cohort, records []AttendanceRecord) error {
	var existing []Attendance
	if err := tx.Where("session_id = ?", sessionID).Find(&existing).Error; err != nil {
		return err
	}
	before := map[string]string{}
	for _, a := range existing {
		before[a.EnrollmentID] = a.Status
	}
	now := db.Now(tx, s.Clock)
	changes := map[string]audit.Change{}
	var rows []Attendance
	for _, r := range records {
		if before[r.EnrollmentID] == r.Status {
			continue
		}
		changes[r.EnrollmentID] = audit.Change{From: before[r.EnrollmentID], To: r.Status}
		rows = append(rows, Attendance{SessionID: sessionID, EnrollmentID: r.EnrollmentID, Status: r.Status, RecordedBy: actor.UserID, RecordedAt: now})
	}
	if len(rows) == 0 {
		return nil
	}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "session_id"}, {Name: "enrollment_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "recorded_by", "recorded_at"}),
	}).Create(&rows).Error
	if err != nil {
		return err
	}
	return audit.Record(tx, now, actor, audit.Entry{Action: "attendance.record", SubjectType: "session", SubjectID: sessionID,
		AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "marks": changes}})
}

// sessionInScope reads a session whose roll the actor may keep: its assigned
// instructors, its host's coordinators and admins.
func sessionInScope(tx *gorm.DB, actor access.Actor, sessionID string) (*SessionInfo, *cohort.Cohort, error) {
	if !validID(sessionID) {
		return nil, nil, apperr.NotFound()
	}
	var info SessionInfo
	err := tx.Table("cohort_sessions cs").
		Select("cs.id, cs.cohort_id, ch.code AS cohort_code, co.code AS course_code, co.title AS course_title, cs.topic, cs.room, ch.time_zone, cs.starts_at, cs.ends_at").
		Joins("JOIN cohorts ch ON ch.id = cs.cohort_id").
		Joins("JOIN courses co ON co.id = ch.course_id").
		Where("cs.id = ?", sessionID).Take(&info).Error
	if db.IsNotFound(err) {
		return nil, nil, apperr.NotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := loadCohort(tx, info.CohortID, false)
	if err != nil {
		return nil, nil, err
	}
	if !hostsCohort(actor, c.HostAgencyID) {
		ok, err := teachesSession(tx, actor, sessionID)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			return nil, nil, apperr.NotFound()
		}
	}
	return &info, c, nil
}
