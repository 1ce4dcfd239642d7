package cohort

// Rule codes a client can act on. The web layer answers 409 unless its
// status table says otherwise.
const (
	CodeStatusTransition     = "cohort_status_transition" // a status change the lifecycle does not allow
	CodeNotEditable          = "cohort_not_editable"      // the cohort is completed or cancelled
	CodeQuotaBelowTaken      = "quota_below_taken"        // a quota lower than the seats its agency holds
	CodeQuotaHoldsSeats      = "quota_agency_holds_seats" // removing an agency that holds seats
	CodeQuotasOverCapacity   = "quotas_exceed_capacity"   // the quotas add up to more than the capacity
	CodeCapacityBelowTaken   = "capacity_below_taken"     // capacity lower than the seats taken
	CodeVenueConflict        = "venue_conflict"           // the venue or room is in use at that time
	CodeSessionsOutsideDates = "sessions_outside_dates"   // new dates would leave sessions outside
	CodeSessionHasAttendance = "session_has_attendance"   // attendance recorded: the session stays
	CodeScheduleNotEmpty     = "schedule_not_empty"       // a copy into a cohort that has sessions, not replacing them
)

// Message keys of field errors.
const (
	KeyCodeFormat          = "cohort.code_format"
	KeyCodeTaken           = "cohort.code_taken"
	KeyCourseUnknown       = "cohort.course_unknown"
	KeyCourseNotPublished  = "cohort.course_not_published"
	KeyCourseLocked        = "cohort.course_locked"
	KeyLanguageNotOffered  = "cohort.language_not_offered"
	KeyVenueUnknown        = "cohort.venue_unknown"
	KeyCapacityAboveVenue  = "cohort.capacity_above_venue"
	KeyTimeZoneRequired    = "cohort.time_zone_required"
	KeyDate                = "cohort.date_format"
	KeyInstant             = "cohort.instant_format"
	KeyTimeInGap           = "cohort.time_in_gap"
	KeyEndsBeforeStart     = "cohort.ends_before_start"
	KeyWindowOrder         = "cohort.window_order"
	KeyWindowAfterStart    = "cohort.window_after_start"
	KeyHostNotAllowed      = "cohort.host_not_allowed"
	KeyAgencyUnknown       = "cohort.agency_unknown"
	KeySessionOrder        = "cohort.session_order"
	KeySessionOutside      = "cohort.session_outside_dates"
	KeySessionTooLong      = "cohort.session_too_long"
	KeyMeetingURL          = "cohort.meeting_url"
	KeyRepeatDay           = "cohort.repeat_day"
	KeyCopyDay             = "cohort.copy_day"
	KeyCopySource          = "cohort.copy_source"
	KeyCopyNothing         = "cohort.copy_nothing"
	KeyCompleteElsewhere   = "cohort.complete_not_by_patch"
	KeyTransition          = "cohort.status_transition"
	KeyVenueCapacityTooLow = "cohort.venue_capacity_too_low"
)
