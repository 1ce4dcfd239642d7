package roster

// Rule codes a client can act on; all answer 409.
const (
	CodeInstructorConflict = "instructor_conflict"      // the instructor teaches an overlapping session
	CodeUnavailable        = "instructor_unavailable"   // the instructor reported being unavailable then
	CodeNotQualified       = "instructor_not_qualified" // no qualification for the course on that date
	CodeAlreadyAssigned    = "already_assigned"         // the instructor is already on this session
	CodeLeadTaken          = "lead_taken"               // the session already has a lead instructor
)

// Message keys of field errors.
const (
	KeyNotInstructor = "roster.not_an_instructor"
	KeyUnknownCourse = "roster.unknown_course"
	KeyPeriodOrder   = "roster.period_order"
	KeyPeriodBoth    = "roster.period_both"
	KeyInstant       = "roster.instant_format"
	KeyDate          = "roster.date_format"
	KeyZoneNeeded    = "roster.zone_needed"
	KeyPeriodTooLong = "roster.period_too_long"
	KeyUnknownLang   = "roster.unknown_language"
)
