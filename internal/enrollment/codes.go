package enrollment

// Rule codes a client can act on. Each has the message "error."+code unless
// a refusal names a more precise key; the web layer maps them to statuses.
const (
	CodeCohortNotOpen          = "cohort_not_open"          // not open, or outside the enrollment window
	CodeAgencyNotParticipating = "agency_not_participating" // the cohort has quotas and none for this agency
	CodeAlreadyEnrolled        = "already_enrolled"         // a pending, enrolled or waitlisted request exists
	CodePrerequisitesMissing   = "prerequisites_missing"    // Details["missing"] lists the courses
	CodeAlreadyCertified       = "already_certified"        // a valid certificate, not yet due for renewal
	CodeCohortStarted          = "cohort_started"           // too late to withdraw or decide
	CodeCohortNotStarted       = "cohort_not_started"       // too early to mark a no-show
	CodeWrongStatus            = "enrollment_status"        // the enrollment's status does not allow the action
)

// Message keys of refusals and field errors.
const (
	KeyNotOpenStatus    = "enrollment.not_open.status"
	KeyNotOpenBefore    = "enrollment.not_open.before"
	KeyNotOpenAfter     = "enrollment.not_open.after"
	KeyNotOpenStarted   = "enrollment.not_open.started"
	KeyNotPending       = "enrollment.not_pending"
	KeyNotLive          = "enrollment.not_live"
	KeyNotEnrolled      = "enrollment.not_enrolled"
	KeySelfTrainees     = "enrollment.self_trainees_only"
	KeyNominators       = "enrollment.nominators_only"
	KeyUnknownPerson    = "enrollment.unknown_person"
	KeyPersonDisabled   = "enrollment.person_disabled"
	KeyNotTrainee       = "enrollment.not_trainee"
	KeyAmbiguousPerson  = "enrollment.ambiguous_person"
	KeyDuplicateRow     = "enrollment.duplicate_row"
	KeyEmptyList        = "enrollment.empty_list"
	KeyListTooLong      = "enrollment.list_too_long"
	KeyUnreadableList   = "enrollment.unreadable_list"
	KeyNothingToDecide  = "enrollment.nothing_to_decide"
	KeyTooManyDecisions = "enrollment.too_many_decisions"
	// KeyPrerequisitesOther tells a nominating coordinator what the person lacks.
	KeyPrerequisitesOther = "enrollment.prerequisites_missing_other"
)
