// Package access is muster's one policy place: who is acting, and whether
// they may see or change a record. Pages and API call the same functions,
// and a record outside the actor's scope is reported as not found.
package access

import "slices"

// Roles a user may hold.
const (
	Admin       = "admin"        // the platform's few administrators, acting in every agency
	AgencyAdmin = "agency_admin" // administers one agency: its people, roles and second factors
	Coordinator = "coordinator"
	Instructor  = "instructor"
	HR          = "hr"
	Trainee     = "trainee"
)

// AllRoles in display order.
var AllRoles = []string{Admin, AgencyAdmin, Coordinator, Instructor, HR, Trainee}

// Actor is whoever makes a request: a signed-in user, a token's owner, the
// command line, or nobody.
type Actor struct {
	UserID   string
	Name     string
	AgencyID string
	Roles    []string
	IP       string
	// SecondFactor is set when the actor's session passed a second factor,
	// or the actor uses a token made from such a session.
	SecondFactor bool
}

// System acts for command-line operations such as seeding and user creation.
func System() Actor { return Actor{Name: "system", Roles: []string{Admin}} }

// Anonymous is a visitor who has not signed in.
func Anonymous(ip string) Actor { return Actor{IP: ip} }

// SignedIn reports whether the actor is a user.
func (a Actor) SignedIn() bool { return a.UserID != "" || a.Name == "system" }

// Has reports whether the actor holds role.
func (a Actor) Has(role string) bool { return slices.Contains(a.Roles, role) }

// HasAny reports whether the actor holds any of roles.
func (a Actor) HasAny(roles ...string) bool {
	return slices.ContainsFunc(roles, a.Has)
}

// IsAdmin reports whether the actor may act in every agency.
func (a Actor) IsAdmin() bool { return a.Has(Admin) }

// InAgency reports whether the actor may act on records of agency: admins
// everywhere, everybody else only in their own agency.
func (a Actor) InAgency(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.AgencyID == agencyID)
}

// PersonnelRoles may list, create and edit the people of their own agency.
var PersonnelRoles = []string{AgencyAdmin, Coordinator, HR}

// CanManagePersonnel reports whether the actor may list, create and edit the
// users of agency (admins; agency admins, coordinators and hr of that agency).
// Which people and which roles is narrowed further by CanGrant and CanEdit.
func (a Actor) CanManagePersonnel(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.HasAny(PersonnelRoles...) && a.AgencyID == agencyID)
}

// CanAdministerAgency reports whether the actor administers agency: resets,
// second-factor resets and every role below admin (admins; that agency's
// agency admins).
func (a Actor) CanAdministerAgency(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.Has(AgencyAdmin) && a.AgencyID == agencyID)
}

// CanGrant reports whether the actor may give role to somebody, or take it
// away. Privileges flow downward only: coordinators and hr grant trainee;
// agency admins grant every role but admin; only admins grant admin.
func (a Actor) CanGrant(role string) bool {
	switch {
	case a.IsAdmin():
		return true
	case role == Admin:
		return false
	case a.Has(AgencyAdmin):
		return true
	case role == Trainee:
		return a.HasAny(Coordinator, HR)
	}
	return false
}

// CanEdit reports whether the actor may change the record of a person who
// holds roles: only when the actor could have granted every one of them, so
// nobody edits, renames or demotes someone above them.
func (a Actor) CanEdit(roles []string) bool {
	for _, r := range roles {
		if !a.CanGrant(r) {
			return false
		}
	}
	return true
}

// CanReadAudit reports whether the actor may read the audit trail of agency
// ("" meaning every agency: admins only).
func (a Actor) CanReadAudit(agencyID string) bool {
	if agencyID == "" {
		return a.IsAdmin()
	}
	return a.IsAdmin() || (a.HasAny(PersonnelRoles...) && a.AgencyID == agencyID)
}

// CanManageCatalog reports whether the actor may create and edit courses
// owned by agency.
func (a Actor) CanManageCatalog(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.Has(Coordinator) && a.AgencyID == agencyID)
}
