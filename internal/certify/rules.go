package certify

import (
	"time"

	"muster/internal/cohort"
)

// Reasons a trainee fails a cohort, as codes with message keys "certify.reason."+code.
const (
	ReasonAttendance = "attendance_below_minimum"
	ReasonScore      = "score_below_pass_mark"
	ReasonNoScore    = "no_score"
)

// Standard is what a course asks of a trainee to complete it.
type Standard struct {
	MinAttendancePercent int // 0-100
	PassMark             int // 0 means the course has no assessment
}

// Record is what a trainee did in a cohort.
type Record struct {
	Sessions int  // sessions of the cohort
	Attended int  // sessions marked present or late
	Score    *int // nil until assessed
}

// AttendancePercent is attended over all sessions, rounded down; nil without sessions.
func (r Record) AttendancePercent() *int {
	if r.Sessions == 0 {
		return nil
	}
	p := r.Attended * 100 / r.Sessions
	return &p
}

// Judge decides whether a trainee completes or fails, and why they fail.
// Attendance is compared exactly (attended/sessions >= minimum/100), so a
// percentage is never rounded up into a pass. A cohort without sessions meets
// the attendance minimum only when that minimum is 0. A pass mark of 0 means
// no assessment: no score is needed.
func Judge(std Standard, r Record) (passed bool, reasons []string) {
	switch {
	case r.Sessions == 0 && std.MinAttendancePercent > 0:
		reasons = append(reasons, ReasonAttendance)
	case r.Sessions > 0 && r.Attended*100 < std.MinAttendancePercent*r.Sessions:
		reasons = append(reasons, ReasonAttendance)
	}
	if std.PassMark > 0 {
		switch {
		case r.Score == nil:
			reasons = append(reasons, ReasonNoScore)
		case *r.Score < std.PassMark:
			reasons = append(reasons, ReasonScore)
		}
	}
	return len(reasons) == 0, reasons
}

// Completable reports whether a cohort in status may be completed on day: a
// cohort in progress, or an open one whose first day has come (a cohort is
// not always moved to in_progress by hand before it ends).
func Completable(status string, startsOn, day time.Time) bool {
	return status == cohort.StatusInProgress || (status == cohort.StatusOpen && !day.Before(startsOn))
}

// ExpiresOn is issued plus validity months, or nil when validity is 0. A day
// missing from the target month falls back to that month's last day, so a
// certificate issued on 31 January for one month expires on the last day of
// February, and one issued on 29 February for a year on 28 February.
func ExpiresOn(issued time.Time, months int) *time.Time {
	if months <= 0 {
		return nil
	}
	y, m, d := issued.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	t := time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
	return &t
}
