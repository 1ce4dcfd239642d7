// Package enrollment owns trainees' requests for seats in cohorts: eligibility,
// nomination and approval, quotas and capacity, the waitlist, withdrawals,
// attendance and results.
package enrollment

import "time"

// Enrollment statuses.
const (
	StatusPending    = "pending"    // waits for the agency's approval
	StatusEnrolled   = "enrolled"   // holds a seat
	StatusWaitlisted = "waitlisted" // waits for a seat, in queue order
	StatusRejected   = "rejected"
	StatusWithdrawn  = "withdrawn"
	StatusNoShow     = "no_show"
	StatusCancelled  = "cancelled" // the cohort was cancelled
	StatusCompleted  = "completed"
	StatusFailed     = "failed"
)

// Enrollment is one person's request for a seat in one cohort.
type Enrollment struct {
	ID          string     `gorm:"primaryKey" json:"id"`
	CohortID    string     `json:"cohort_id"`
	UserID      string     `json:"user_id"`
	AgencyID    string     `json:"agency_id"`
	Status      string     `json:"status"`
	QueueNo     int        `json:"-"`
	RequestedAt time.Time  `json:"requested_at"`
	NominatedBy *string    `json:"nominated_by,omitempty"`
	DecidedBy   *string    `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Score       *int       `json:"score"`
	AssessedBy  *string    `json:"assessed_by,omitempty"`
	AssessedAt  *time.Time `json:"assessed_at,omitempty"`
	CreatedAt   time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	UpdatedAt   time.Time  `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Enrollment) TableName() string { return "enrollments" }
