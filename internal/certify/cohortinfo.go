package certify

import "gorm.io/gorm"

// CohortInfo names a cohort and its course's standard, for the results,
// completion and transcript views.
type CohortInfo struct {
	ID                   string `json:"id"`
	Code                 string `json:"code"`
	Status               string `json:"status"`
	HostAgencyID         string `json:"host_agency_id"`
	HostAgency           string `json:"host_agency"`
	StartsOn             Date   `json:"starts_on"`
	EndsOn               Date   `json:"ends_on"`
	CourseID             string `json:"course_id"`
	CourseCode           string `json:"course_code"`
	CourseTitle          string `json:"course_title"`
	DurationHours        int    `json:"duration_hours"`
	PassMark             int    `json:"pass_mark"`
	MinAttendancePercent int    `json:"min_attendance_percent"`
	ValidityMonths       int    `json:"validity_months"`
}

// Standard is what the cohort's course asks of a trainee.
func (ci CohortInfo) Standard() Standard {
	return Standard{MinAttendancePercent: ci.MinAttendancePercent, PassMark: ci.PassMark}
}

func cohortInfo(tx *gorm.DB, id string) (*CohortInfo, error) {
	var ci CohortInfo
	err := tx.Table("cohorts ch").
		Select(`ch.id, ch.code, ch.status, ch.host_agency_id, COALESCE(ag.name, '') AS host_agency, ch.starts_on, ch.ends_on,
			co.id AS course_id, co.code AS course_code, co.title AS course_title, co.duration_hours, co.pass_mark,
			co.min_attendance_percent, co.validity_months`).
		Joins("JOIN courses co ON co.id = ch.course_id").
		Joins("LEFT JOIN agencies ag ON ag.id = ch.host_agency_id").
		Where("ch.id = ?", id).Take(&ci).Error
	return &ci, err
}

func countSessions(tx *gorm.DB, cohortID string) (int, error) {
	var n int64
	err := tx.Table("cohort_sessions").Where("cohort_id = ?", cohortID).Count(&n).Error
	return int(n), err
}
