package catalog

import "time"

// Course is a row of the catalogue. Create and edit courses through
// CourseInput and CoursePatch, never by binding requests into this struct.
type Course struct {
	ID                   string       `gorm:"primaryKey" json:"id"`
	Code                 string       `json:"code"`
	OwnerAgencyID        string       `json:"owner_agency_id"`
	Title                string       `json:"title"`
	Summary              string       `json:"summary"`
	Description          string       `json:"description"`
	Discipline           string       `json:"discipline"`
	Level                string       `json:"level"`
	Delivery             string       `json:"delivery"`
	DurationHours        int          `json:"duration_hours"`
	PassMark             int          `json:"pass_mark"`
	MinAttendancePercent int          `json:"min_attendance_percent"`
	ValidityMonths       int          `json:"validity_months"`
	Status               string       `json:"status"`
	Translations         Translations `json:"translations"`
	SearchText           string       `json:"-"`
	CreatedAt            time.Time    `gorm:"autoCreateTime:false" json:"created_at"` // set from the service's clock
	UpdatedAt            time.Time    `gorm:"autoUpdateTime:false" json:"updated_at"`
}

// TableName keeps the table name explicit.
func (Course) TableName() string { return "courses" }

// CourseLanguage is one language of instruction of a course.
type CourseLanguage struct {
	CourseID string `gorm:"primaryKey"`
	Language string `gorm:"primaryKey"`
}

// TableName keeps the table name explicit.
func (CourseLanguage) TableName() string { return "course_languages" }

// CoursePrerequisite says that CourseID requires PrerequisiteID.
type CoursePrerequisite struct {
	CourseID       string `gorm:"primaryKey"`
	PrerequisiteID string `gorm:"primaryKey"`
}

// TableName keeps the table name explicit.
func (CoursePrerequisite) TableName() string { return "course_prerequisites" }
