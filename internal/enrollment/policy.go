package enrollment

import "muster/internal/access"

// CanDecide reports whether actor may approve, reject, withdraw, nominate
// or mark a no-show for the people of agencyID: admins, and that agency's
// coordinators. The host's coordinators see others' people, not decide.
func CanDecide(actor access.Actor, agencyID string) bool {
	return actor.IsAdmin() || (agencyID != "" && actor.Has(access.Coordinator) && actor.AgencyID == agencyID)
}

// CanWithdraw reports whether actor may withdraw e: its trainee, or whoever
// may decide for the trainee's agency.
func CanWithdraw(actor access.Actor, e *Enrollment) bool {
	return (actor.UserID != "" && actor.UserID == e.UserID) || CanDecide(actor, e.AgencyID)
}

// CanSee reports whether actor may see e: its trainee, admins, and the
// coordinators and hr of the trainee's agency or of the cohort's host.
func CanSee(actor access.Actor, e *Enrollment, hostAgencyID string) bool {
	if actor.IsAdmin() || (actor.UserID != "" && actor.UserID == e.UserID) {
		return true
	}
	return actor.HasAny(access.Coordinator, access.HR) && actor.AgencyID != "" &&
		(actor.AgencyID == e.AgencyID || actor.AgencyID == hostAgencyID)
}

// seesWholeCohort reports whether actor sees every agency's enrollments in a
// cohort hosted by hostAgencyID; others see their own agency's only.
func seesWholeCohort(actor access.Actor, hostAgencyID string) bool {
	return actor.IsAdmin() || (actor.HasAny(access.Coordinator, access.HR) && actor.AgencyID == hostAgencyID)
}
