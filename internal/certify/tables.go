package certify

import "time"

// certify reads and updates rows of the cohort, roster and enrollment tables
// through the small shapes below instead of importing those packages: the
// enrollment rules depend on certify (prerequisites, recertification), and
// an import the other way would close a cycle.

// Enrollment and cohort statuses certify acts on, as stored.
const (
	enrollmentPending    = "pending"
	enrollmentEnrolled   = "enrolled"
	enrollmentWaitlisted = "waitlisted"
	enrollmentCancelled  = "cancelled"
	enrollmentCompleted  = "completed"
	enrollmentFailed     = "failed"

	cohortOpen       = "open"
	cohortInProgress = "in_progress"
	cohortCompleted  = "completed"
	cohortCancelled  = "cancelled"
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

type cohortRow struct {
	ID           string
	Code         string
	CourseID     string
	HostAgencyID string
	Status       string
	TimeZone     string
	StartsOn     time.Time
	EndsOn       time.Time
	CompletedAt  *time.Time
}

func (cohortRow) TableName() string { return "cohorts" }

type enrollmentRow struct {
	ID         string
	CohortID   string
	UserID     string
	AgencyID   string
	Status     string
	QueueNo    int
	Score      *int
	AssessedBy *string
	AssessedAt *time.Time
}

func (enrollmentRow) TableName() string { return "enrollments" }

type attendanceRow struct {
	SessionID    string `gorm:"primaryKey"`
	EnrollmentID string `gorm:"primaryKey"`
	Status       string
	RecordedBy   string
	RecordedAt   time.Time
}

func (attendanceRow) TableName() string { return "attendance" }
