package catalog

import (
	"regexp"
	"strings"

	"muster/internal/apperr"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// CourseInput is a whole course as a client sends it: the body of
// POST /api/v1/courses and the course form. Codes are upper-cased and
// languages lower-cased before validation.
type CourseInput struct {
	Code string `json:"code" form:"code" validate:"required"` // pattern checked by checkCode
	// OwnerAgencyID is for admins only; a coordinator's courses belong to their agency.
	OwnerAgencyID        string   `json:"owner_agency_id,omitempty" form:"owner_agency_id" validate:"omitempty,uuid"`
	Title                string   `json:"title" form:"title" validate:"notblank,max=200,noreorder"`
	Summary              string   `json:"summary" form:"summary" validate:"max=500"`
	Description          string   `json:"description" form:"description" validate:"max=20000"`
	Discipline           string   `json:"discipline" form:"discipline" validate:"required,oneof=counter_narcotics border_security counter_terrorism organised_crime cybercrime forensics intelligence_analysis human_trafficking public_order leadership language other"`
	Level                string   `json:"level" form:"level" validate:"required,oneof=basic intermediate advanced"`
	Delivery             string   `json:"delivery" form:"delivery" validate:"required,oneof=in_person online blended"`
	DurationHours        int      `json:"duration_hours" form:"duration_hours" validate:"min=1,max=2000"`
	Languages            []string `json:"languages" form:"languages" validate:"min=1,max=10,unique,dive,oneof=ar az de en es fa fr hi it ja kk ko ky ps ru tg tk tr uk ur uz zh"`
	Prerequisites        []string `json:"prerequisites" form:"prerequisites" validate:"max=20,unique,dive,notblank,max=12"`
	PassMark             int      `json:"pass_mark" form:"pass_mark" validate:"min=0,max=100"`
	MinAttendancePercent int      `json:"min_attendance_percent" form:"min_attendance_percent" validate:"min=0,max=100"`
	ValidityMonths       int      `json:"validity_months" form:"validity_months" validate:"min=0,max=240"`
	Status               string   `json:"status" form:"status" validate:"oneof=draft published archived"` // "" means draft
	// Translations are the texts per language; a title is required in each one given.
	Translations Translations `json:"translations,omitempty" form:"-" validate:"max=4,dive,keys,oneof=en ru tg fa,endkeys"`
}

// codePattern is a course code such as CN-101 or BS-201A: 2 to 6 letters, a
// hyphen, 2 to 4 digits and an optional letter (message catalog.code_format).
var codePattern = regexp.MustCompile(`^[A-Z]{2,6}-[0-9]{2,4}[A-Z]?$`)

// NormalizeCode is how codes are stored and looked up: trimmed, upper case.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// normalize cleans the input in place before validation.
func (in *CourseInput) normalize() {
	in.Code = NormalizeCode(in.Code)
	in.OwnerAgencyID = strings.TrimSpace(in.OwnerAgencyID)
	in.Title = plaintext.Line(in.Title)
	in.Summary = plaintext.Line(in.Summary)
	in.Description = plaintext.Block(in.Description)
	in.Discipline = strings.TrimSpace(in.Discipline)
	in.Level = strings.TrimSpace(in.Level)
	in.Delivery = strings.TrimSpace(in.Delivery)
	in.Status = strings.TrimSpace(in.Status)
	if in.Status == "" {
		in.Status = StatusDraft
	}
	// New slices, so the caller's input is never rewritten.
	langs := make([]string, 0, len(in.Languages))
	for _, l := range in.Languages {
		langs = append(langs, strings.ToLower(strings.TrimSpace(l)))
	}
	in.Languages = langs
	prereqs := make([]string, 0, len(in.Prerequisites))
	for _, p := range in.Prerequisites {
		prereqs = append(prereqs, NormalizeCode(p))
	}
	in.Prerequisites = prereqs
	in.Translations = in.Translations.normalized()
}

// check validates a normalised input: its tags, then the code pattern.
func (in *CourseInput) check() ([]apperr.FieldError, error) {
	var fields []apperr.FieldError
	if err := validate.Struct(in); err != nil {
		e, ok := apperr.As(err)
		if !ok {
			return nil, err
		}
		fields = e.Fields
	}
	if in.Code != "" && !codePattern.MatchString(in.Code) {
		fields = append([]apperr.FieldError{apperr.Field("code", KeyCodeFormat, "Example", "CN-101")}, fields...)
	}
	return fields, nil
}

// ValidCode reports whether code, in any case, has the shape of a course code.
func ValidCode(code string) bool { return codePattern.MatchString(NormalizeCode(code)) }
