// Package access is muster's one policy place: who is acting, and whether
// they may see or change a record. Pages and API call the same functions,
// and a record outside the actor's scope is reported as not found.
package access

import "slices"

// Roles a user may hold.
const (
	Admin       = "admin"
	Coordinator = "coordinator"
	Instructor  = "instructor"
	HR          = "hr"
	Trainee     = "trainee"
)

// AllRoles in display order.
var AllRoles = []string{Admin, Coordinator, Instructor, HR, Trainee}

// Actor is whoever makes a request: a signed-in user, a token's owner, the
// command line, or nobody.
type Actor struct {
	UserID   string
	Name     string
	AgencyID string
	Roles    []string
	IP       string
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

// CanManagePersonnel reports whether the actor may list, create and edit the
// users of agency (admins; coordinators and hr of that agency).
func (a Actor) CanManagePersonnel(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.HasAny(Coordinator, HR) && a.AgencyID == agencyID)
}

// CanGrant reports whether the actor may give role to somebody: only admins grant admin.
func (a Actor) CanGrant(role string) bool {
	return a.IsAdmin() || (role != Admin && a.HasAny(Coordinator, HR))
}

// CanReadAudit reports whether the actor may read the audit trail of agency
// ("" meaning every agency: admins only).
func (a Actor) CanReadAudit(agencyID string) bool {
	if agencyID == "" {
		return a.IsAdmin()
	}
	return a.IsAdmin() || (a.HasAny(Coordinator, HR) && a.AgencyID == agencyID)
}

// CanManageCatalog reports whether the actor may create and edit courses
// owned by agency.
func (a Actor) CanManageCatalog(agencyID string) bool {
	return a.IsAdmin() || (agencyID != "" && a.Has(Coordinator) && a.AgencyID == agencyID)
}
