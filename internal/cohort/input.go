package cohort

import (
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// CohortInput is a whole cohort as a client sends it: the body of
// POST /api/v1/cohorts and the cohort form. Dates are "YYYY-MM-DD" in the
// cohort's time zone; the enrollment window's instants are RFC 3339, or
// wall-clock times ("2026-05-10T09:00") in the cohort's time zone. Without
// a time zone, an in-person cohort takes its venue's.
type CohortInput struct {
	Code   string `json:"code" form:"code" validate:"required,max=32"`
	Course string `json:"course" form:"course" validate:"required,max=12"`
	// HostAgencyID is for admins; a coordinator's cohorts are hosted by their agency.
	HostAgencyID       string `json:"host_agency_id,omitempty" form:"host_agency_id" validate:"omitempty,uuid"`
	VenueID            string `json:"venue_id" form:"venue_id" validate:"omitempty,uuid"` // "" when online
	Language           string `json:"language" form:"language" validate:"required,max=8"`
	StartsOn           string `json:"starts_on" form:"starts_on" validate:"required"`
	EndsOn             string `json:"ends_on" form:"ends_on" validate:"required"`
	TimeZone           string `json:"time_zone" form:"time_zone" validate:"max=64"`
	Capacity           int    `json:"capacity" form:"capacity" validate:"min=1,max=10000"`
	EnrollmentOpensAt  string `json:"enrollment_opens_at" form:"enrollment_opens_at" validate:"required"`
	EnrollmentClosesAt string `json:"enrollment_closes_at" form:"enrollment_closes_at" validate:"required"`
	RequiresApproval   bool   `json:"requires_approval" form:"requires_approval"`
	Status             string `json:"status" form:"status" validate:"omitempty,oneof=draft open"` // "" means draft
}

// CohortPatch is the body of PATCH /api/v1/cohorts/{id}: a nil field is
// left unchanged; VenueID "" makes the cohort online. Status moves the
// cohort through its lifecycle.
type CohortPatch struct {
	Code               *string `json:"code"`
	Course             *string `json:"course"`
	VenueID            *string `json:"venue_id"`
	Language           *string `json:"language"`
	StartsOn           *string `json:"starts_on"`
	EndsOn             *string `json:"ends_on"`
	TimeZone           *string `json:"time_zone"`
	Capacity           *int    `json:"capacity"`
	EnrollmentOpensAt  *string `json:"enrollment_opens_at"`
	EnrollmentClosesAt *string `json:"enrollment_closes_at"`
	RequiresApproval   *bool   `json:"requires_approval"`
	Status             *string `json:"status"`
}

// Patch turns a whole cohort (the edit form) into a patch of every field
// but the status, which has its own buttons.
func (in CohortInput) Patch() CohortPatch {
	return CohortPatch{Code: &in.Code, Course: &in.Course, VenueID: &in.VenueID, Language: &in.Language,
		StartsOn: &in.StartsOn, EndsOn: &in.EndsOn, TimeZone: &in.TimeZone, Capacity: &in.Capacity,
		EnrollmentOpensAt: &in.EnrollmentOpensAt, EnrollmentClosesAt: &in.EnrollmentClosesAt, RequiresApproval: &in.RequiresApproval}
}

func (p CohortPatch) applyTo(in *CohortInput) {
	set(&in.Code, p.Code)
	set(&in.Course, p.Course)
	set(&in.VenueID, p.VenueID)
	set(&in.Language, p.Language)
	set(&in.StartsOn, p.StartsOn)
	set(&in.EndsOn, p.EndsOn)
	set(&in.TimeZone, p.TimeZone)
	set(&in.Capacity, p.Capacity)
	set(&in.EnrollmentOpensAt, p.EnrollmentOpensAt)
	set(&in.EnrollmentClosesAt, p.EnrollmentClosesAt)
	set(&in.RequiresApproval, p.RequiresApproval)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// inputOf is a stored cohort as the input that would create it.
func inputOf(c *Cohort, courseCode string) CohortInput {
	in := CohortInput{Code: c.Code, Course: courseCode, HostAgencyID: c.HostAgencyID, Language: c.Language,
		StartsOn: c.StartsOn.Format(DateLayout), EndsOn: c.EndsOn.Format(DateLayout), TimeZone: c.TimeZone,
		Capacity: c.Capacity, EnrollmentOpensAt: c.EnrollmentOpensAt.UTC().Format(time.RFC3339),
		EnrollmentClosesAt: c.EnrollmentClosesAt.UTC().Format(time.RFC3339), RequiresApproval: c.RequiresApproval, Status: c.Status}
	if c.VenueID != nil {
		in.VenueID = *c.VenueID
	}
	return in
}

// codePattern is a cohort code such as CN-101-2026-TEH: capitals, digits
// and single hyphens, 3 to 32 characters.
var codePattern = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)

func (in *CohortInput) normalize() {
	in.Code = strings.ToUpper(plaintext.Line(in.Code))
	in.Course = strings.ToUpper(strings.TrimSpace(in.Course))
	in.HostAgencyID = strings.ToLower(strings.TrimSpace(in.HostAgencyID))
	in.VenueID = strings.ToLower(strings.TrimSpace(in.VenueID))
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Status = strings.TrimSpace(in.Status)
	if in.Status == "" {
		in.Status = StatusDraft
	}
}

// plan is a checked input, resolved to the values stored.
type plan struct {
	in                CohortInput
	courseID          string
	venue             *Venue
	loc               *time.Location
	startsOn, endsOn  time.Time
	opensAt, closesAt time.Time
}

// resolve checks a normalised input against its tags and the stored
// courses and venues, and returns the values to store or field messages.
func resolve(tx *gorm.DB, in CohortInput, keepCourseID string) (*plan, []apperr.FieldError, error) {
	p := &plan{in: in}
	fields := fieldsOf(validate.Struct(in))
	if in.Code != "" && !hasField(fields, "code") && (len(in.Code) < 3 || !codePattern.MatchString(in.Code)) {
		fields = append(fields, apperr.Field("code", KeyCodeFormat, "Example", "CN-101-2026-TEH"))
	}
	if in.Course != "" && !hasField(fields, "course") {
		ff, err := p.resolveCourse(tx, keepCourseID)
		if err != nil {
			return nil, nil, err
		}
		fields = append(fields, ff...)
	}
	if in.VenueID != "" && !hasField(fields, "venue_id") {
		v, err := venueByID(tx, in.VenueID, true) // locked: its sessions are checked against others
		switch {
		case apperr.CodeOf(err) == apperr.CodeNotFound:
			fields = append(fields, apperr.Field("venue_id", KeyVenueUnknown))
		case err != nil:
			return nil, nil, err
		default:
			p.venue = v
			if in.Capacity > v.Capacity {
				fields = append(fields, apperr.Field("capacity", KeyCapacityAboveVenue, "Venue", v.Name, "Capacity", v.Capacity))
			}
		}
	}
	fields = append(fields, p.resolveTimes()...)
	return p, fields, nil
}

// resolveCourse finds the course by code; a new cohort needs a published
// course taught in the cohort's language.
func (p *plan) resolveCourse(tx *gorm.DB, keepCourseID string) ([]apperr.FieldError, error) {
	var course struct{ ID, Status string }
	err := tx.Table("courses").Select("id, status").Where("code = ?", p.in.Course).Take(&course).Error
	if err != nil {
		if db.IsNotFound(err) {
			return []apperr.FieldError{apperr.Field("course", KeyCourseUnknown, "Code", p.in.Course)}, nil
		}
		return nil, err
	}
	p.courseID = course.ID
	if course.Status != "published" && course.ID != keepCourseID {
		return []apperr.FieldError{apperr.Field("course", KeyCourseNotPublished, "Code", p.in.Course)}, nil
	}
	if p.in.Language == "" {
		return nil, nil
	}
	var n int64
	err = tx.Table("course_languages").Where("course_id = ? AND language = ?", course.ID, p.in.Language).Count(&n).Error
	if err != nil || n > 0 {
		return nil, err
	}
	return []apperr.FieldError{apperr.Field("language", KeyLanguageNotOffered, "Code", p.in.Course)}, nil
}

// resolveTimes reads the zone, the dates and the enrollment window.
func (p *plan) resolveTimes() []apperr.FieldError {
	var fields []apperr.FieldError
	in := &p.in
	if in.TimeZone == "" && p.venue != nil {
		in.TimeZone = p.venue.TimeZone
	}
	switch loc, ok := LoadZone(in.TimeZone); {
	case in.TimeZone == "":
		fields = append(fields, apperr.Field("time_zone", KeyTimeZoneRequired))
	case !ok:
		fields = append(fields, apperr.Field("time_zone", "validation.timezone"))
	default:
		p.loc = loc
	}
	var okStart, okEnd bool
	if in.StartsOn != "" {
		if p.startsOn, okStart = ParseDate(in.StartsOn); !okStart {
			fields = append(fields, apperr.Field("starts_on", KeyDate, "Example", "2026-05-10"))
		}
	}
	if in.EndsOn != "" {
		if p.endsOn, okEnd = ParseDate(in.EndsOn); !okEnd {
			fields = append(fields, apperr.Field("ends_on", KeyDate, "Example", "2026-05-14"))
		}
	}
	if okStart && okEnd && p.endsOn.Before(p.startsOn) {
		fields = append(fields, apperr.Field("ends_on", KeyEndsBeforeStart, "Start", in.StartsOn, "End", in.EndsOn))
	}
	if p.loc == nil {
		return fields
	}
	opens, okOpen, ff := instantField("enrollment_opens_at", in.EnrollmentOpensAt, p.loc)
	fields = append(fields, ff...)
	closes, okClose, ff := instantField("enrollment_closes_at", in.EnrollmentClosesAt, p.loc)
	fields = append(fields, ff...)
	p.opensAt, p.closesAt = opens, closes
	switch {
	case okOpen && okClose && !closes.After(opens):
		fields = append(fields, apperr.Field("enrollment_closes_at", KeyWindowOrder))
	case okClose && okStart && closes.After(DayStart(p.startsOn, p.loc)):
		fields = append(fields, apperr.Field("enrollment_closes_at", KeyWindowAfterStart,
			"Start", FormatLocal(DayStart(p.startsOn, p.loc), p.loc), "Zone", p.loc.String()))
	}
	return fields
}

// instantField parses one instant field, with its message when it fails.
func instantField(field, value string, loc *time.Location) (time.Time, bool, []apperr.FieldError) {
	if value == "" {
		return time.Time{}, false, nil // the required tag has spoken
	}
	t, ok, gap := ParseInstant(value, loc)
	switch {
	case gap:
		return t, false, []apperr.FieldError{apperr.Field(field, KeyTimeInGap, "Zone", loc.String())}
	case !ok:
		return t, false, []apperr.FieldError{apperr.Field(field, KeyInstant, "Example", "2026-05-10T09:00")}
	}
	return t, true, nil
}
