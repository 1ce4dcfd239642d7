package catalog

// CoursePatch is the body of PATCH /api/v1/courses/{code}: a nil field is
// left unchanged. The patch is applied to the stored course and the result is
// validated as a whole CourseInput, so both share one set of rules. Renaming
// a course (Code) is allowed: other records point at courses by id.
type CoursePatch struct {
	Code                 *string       `json:"code" form:"code"`
	OwnerAgencyID        *string       `json:"owner_agency_id" form:"owner_agency_id"` // admins only
	Title                *string       `json:"title" form:"title"`
	Summary              *string       `json:"summary" form:"summary"`
	Description          *string       `json:"description" form:"description"`
	Discipline           *string       `json:"discipline" form:"discipline"`
	Level                *string       `json:"level" form:"level"`
	Delivery             *string       `json:"delivery" form:"delivery"`
	DurationHours        *int          `json:"duration_hours" form:"duration_hours"`
	Languages            *[]string     `json:"languages" form:"languages"`
	Prerequisites        *[]string     `json:"prerequisites" form:"prerequisites"`
	PassMark             *int          `json:"pass_mark" form:"pass_mark"`
	MinAttendancePercent *int          `json:"min_attendance_percent" form:"min_attendance_percent"`
	ValidityMonths       *int          `json:"validity_months" form:"validity_months"`
	Status               *string       `json:"status" form:"status"`
	Translations         *Translations `json:"translations" form:"-"` // replaces every language
}

// Patch turns a whole course (an edit form) into a patch that replaces every
// field; an empty OwnerAgencyID leaves the owner unchanged.
func (in CourseInput) Patch() CoursePatch {
	p := CoursePatch{
		Code: &in.Code, Title: &in.Title, Summary: &in.Summary, Description: &in.Description,
		Discipline: &in.Discipline, Level: &in.Level, Delivery: &in.Delivery,
		DurationHours: &in.DurationHours, Languages: &in.Languages, Prerequisites: &in.Prerequisites,
		PassMark: &in.PassMark, MinAttendancePercent: &in.MinAttendancePercent,
		ValidityMonths: &in.ValidityMonths, Status: &in.Status,
	}
	// Forms without translation fields leave the stored ones alone.
	if in.Translations != nil {
		p.Translations = &in.Translations
	}
	if in.OwnerAgencyID != "" {
		p.OwnerAgencyID = &in.OwnerAgencyID
	}
	return p
}

// applyTo overwrites in's fields with the patch's non-nil ones; slices are
// copied so normalising the result never writes into the caller's patch.
func (p CoursePatch) applyTo(in *CourseInput) {
	set(&in.Code, p.Code)
	set(&in.OwnerAgencyID, p.OwnerAgencyID)
	set(&in.Title, p.Title)
	set(&in.Summary, p.Summary)
	set(&in.Description, p.Description)
	set(&in.Discipline, p.Discipline)
	set(&in.Level, p.Level)
	set(&in.Delivery, p.Delivery)
	set(&in.DurationHours, p.DurationHours)
	set(&in.PassMark, p.PassMark)
	set(&in.MinAttendancePercent, p.MinAttendancePercent)
	set(&in.ValidityMonths, p.ValidityMonths)
	set(&in.Status, p.Status)
	if p.Translations != nil {
		in.Translations = Translations{}
		for lang, tx := range *p.Translations {
			in.Translations[lang] = tx
		}
	}
	if p.Languages != nil {
		in.Languages = append([]string{}, *p.Languages...)
	}
	if p.Prerequisites != nil {
		in.Prerequisites = append([]string{}, *p.Prerequisites...)
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
