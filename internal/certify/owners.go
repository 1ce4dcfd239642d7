package certify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
)

// certify owns certificates, their counters, signing keys and attendance.
// Enrollment and cohort rows change only through their own services, which
// internal/app wires in as the interfaces below; each call runs inside the
// caller's transaction, passed as tx.

// Enrollments is the enrollment capability as certify needs it.
type Enrollments interface {
	// CohortCompleted marks the listed seated trainees completed or failed
	// and ends the cohort's pending and waitlisted requests, each ended one
	// audited and told.
	CohortCompleted(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string, completed, failed []string) error
	// Assessed stores a seated trainee's score, assessor and time, audited.
	Assessed(ctx context.Context, tx *gorm.DB, actor access.Actor, enrollmentID string, score int, at time.Time) error
}

// Cohorts is the cohort capability as certify needs it.
type Cohorts interface {
	// Completed marks the cohort completed at the given time.
	Completed(ctx context.Context, tx *gorm.DB, actor access.Actor, cohortID string, at time.Time) error
}

// Enrollment and cohort statuses as stored, which certify reads by.
const (
	enrollmentPending    = "pending"
	enrollmentEnrolled   = "enrolled"
	enrollmentWaitlisted = "waitlisted"
	enrollmentCompleted  = "completed"
	enrollmentFailed     = "failed"
)

// Attendance marks; present and late count as attended.
const (
	AttendancePresent = "present"
	AttendanceLate    = "late"
	AttendanceAbsent  = "absent"
	AttendanceExcused = "excused"
)

// AttendanceStatuses in the order the roll shows them.
var AttendanceStatuses = []string{AttendancePresent, AttendanceLate, AttendanceAbsent, AttendanceExcused}

// Attendance is one enrollment's presence at one session.
type Attendance struct {
	SessionID    string    `gorm:"primaryKey" json:"session_id"`
	EnrollmentID string    `gorm:"primaryKey" json:"enrollment_id"`
	Status       string    `json:"status"`
	RecordedBy   string    `json:"recorded_by"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// TableName keeps the table name explicit.
func (Attendance) TableName() string { return "attendance" }

// assessed is an enrollment as the results sheet reads it.
type assessed struct {
	ID       string
	CohortID string
	AgencyID string
	Status   string
	Score    *int
}
