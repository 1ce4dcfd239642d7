// Package roster owns instructor profiles, qualifications, unavailability and
// assignments to sessions, with the conflict rules, and calendar feeds.
package roster

import "time"

// Assignment roles.
const (
	RoleLead      = "lead"
	RoleAssistant = "assistant"
)

// Profile is what muster knows of an instructor beyond their user record.
type Profile struct {
	UserID    string    `gorm:"primaryKey" json:"user_id"`
	Bio       string    `json:"bio"`
	UpdatedAt time.Time `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Profile) TableName() string { return "instructor_profiles" }

// Language is a language an instructor teaches in.
type Language struct {
	UserID   string `gorm:"primaryKey"`
	Language string `gorm:"primaryKey"`
}

// TableName keeps the table name explicit.
func (Language) TableName() string { return "instructor_languages" }

// Qualification lets an instructor teach a course, until ExpiresOn if set.
type Qualification struct {
	UserID    string     `gorm:"primaryKey" json:"-"`
	CourseID  string     `gorm:"primaryKey" json:"course_id"`
	ExpiresOn *time.Time `json:"expires_on"`
}

// TableName keeps the table name explicit.
func (Qualification) TableName() string { return "instructor_qualifications" }

// Unavailability is a period an instructor cannot teach.
type Unavailability struct {
	ID        string    `gorm:"primaryKey" json:"id"`
	UserID    string    `json:"instructor_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `gorm:"autoCreateTime:false" json:"created_at"`
}

// TableName keeps the table name explicit.
func (Unavailability) TableName() string { return "instructor_unavailability" }

// Assignment puts an instructor on a session; the session's instants are
// copied so one instructor's overlaps are found in one index.
type Assignment struct {
	SessionID    string    `gorm:"primaryKey" json:"session_id"`
	InstructorID string    `gorm:"primaryKey" json:"instructor_id"`
	Role         string    `json:"role"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	CreatedAt    time.Time `gorm:"autoCreateTime:false" json:"created_at"`
}

// TableName keeps the table name explicit.
func (Assignment) TableName() string { return "session_instructors" }

// FeedToken is the hash of a user's private calendar-feed token.
type FeedToken struct {
	UserID    string `gorm:"primaryKey"`
	TokenHash string
	Epoch     int       // the owner's session epoch when made; any later change ends the link
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

// TableName keeps the table name explicit.
func (FeedToken) TableName() string { return "feed_tokens" }
