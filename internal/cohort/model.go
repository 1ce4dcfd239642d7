// Package cohort owns venues, cohorts (scheduled runs of a course), their
// per-agency quotas and their sessions.
package cohort

import (
	"time"

	"muster/internal/i18n"
)

// Cohort statuses: draft -> open -> in_progress -> completed, or cancelled
// from any state before completed.
const (
	StatusDraft      = "draft"
	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusCancelled  = "cancelled"
)

// Venue is a place where cohorts meet.
type Venue struct {
	ID            string `gorm:"primaryKey" json:"id"`
	OwnerAgencyID string `json:"owner_agency_id"`
	Name          string `json:"name"`
	City          string `json:"city"`
	Country       string `json:"country"`
	Address       string `json:"address"`
	Capacity      int    `json:"capacity"`
	TimeZone      string `json:"time_zone"`
	// Names are the venue's name per language; Name is the default.
	Names     i18n.Names `json:"names"`
	CreatedAt time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	UpdatedAt time.Time  `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Venue) TableName() string { return "venues" }

// Cohort is one run of a course, the unit people enroll in. Dates (StartsOn,
// EndsOn) are calendar days held as midnight UTC; instants are UTC.
type Cohort struct {
	ID                 string     `gorm:"primaryKey" json:"id"`
	Code               string     `json:"code"`
	CourseID           string     `json:"course_id"`
	HostAgencyID       string     `json:"host_agency_id"`
	VenueID            *string    `json:"venue_id"`
	Language           string     `json:"language"`
	StartsOn           time.Time  `json:"starts_on"`
	EndsOn             time.Time  `json:"ends_on"`
	TimeZone           string     `json:"time_zone"`
	Capacity           int        `json:"capacity"`
	EnrollmentOpensAt  time.Time  `json:"enrollment_opens_at"`
	EnrollmentClosesAt time.Time  `json:"enrollment_closes_at"`
	RequiresApproval   bool       `json:"requires_approval"`
	Status             string     `json:"status"`
	SeatsTaken         int        `json:"seats_taken"`
	QueueSeq           int        `json:"-"`
	CompletedAt        *time.Time `json:"completed_at,omitempty"`
	CancelledAt        *time.Time `json:"cancelled_at,omitempty"`
	CreatedAt          time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	UpdatedAt          time.Time  `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Cohort) TableName() string { return "cohorts" }

// Quota is the number of a cohort's seats one participating agency may fill.
type Quota struct {
	CohortID   string `gorm:"primaryKey" json:"-"`
	AgencyID   string `gorm:"primaryKey" json:"agency_id"`
	Seats      int    `json:"seats"`
	SeatsTaken int    `json:"seats_taken"`
}

// TableName keeps the table name explicit.
func (Quota) TableName() string { return "cohort_quotas" }

// Session is a block of a cohort's schedule, between two instants.
type Session struct {
	ID       string    `gorm:"primaryKey" json:"id"`
	CohortID string    `json:"cohort_id"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Topic    string    `json:"topic"`
	Room     string    `json:"room"`
	// MeetingURL is where an online session meets; readers blank it for
	// whoever is neither enrolled, teaching nor managing.
	MeetingURL string    `json:"meeting_url,omitempty"`
	CreatedAt  time.Time `gorm:"autoCreateTime:false" json:"created_at"`
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Session) TableName() string { return "cohort_sessions" }
