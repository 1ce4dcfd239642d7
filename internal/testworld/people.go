package testworld

import (
	"fmt"

	"muster/internal/access"
	"muster/internal/identity"
)

// Agency creates an agency of country (ISO alpha-2) and returns its id;
// its short name starts with prefix and is numbered to stay unique.
func (w *World) Agency(prefix, country string) string {
	w.T.Helper()
	n := next()
	a, err := w.App.Identity.CreateAgency(w.Ctx, access.System(), identity.AgencyInput{
		Name: fmt.Sprintf("Agency %s %d", prefix, n), ShortName: short(prefix, n), Country: country, Kind: "police"})
	w.must("agency", err)
	return a.ID
}

// Person creates a user of agency with roles (trainee when none) and returns
// them as the actor their requests carry.
func (w *World) Person(agencyID, name string, roles ...string) access.Actor {
	w.T.Helper()
	u := w.User(agencyID, name, roles...)
	return u.Actor("192.0.2.9")
}

// Reader creates a user of agency who reads lang (en, ru, tg or fa), with
// roles (trainee when none), and returns them as the actor their requests carry.
func (w *World) Reader(agencyID, lang, name string, roles ...string) access.Actor {
	w.T.Helper()
	return w.user(agencyID, lang, name, roles).Actor("192.0.2.9")
}

// User creates a user of agency with roles (trainee when none), invited
// to choose a password: a chosen one would cost a password hash per person.
func (w *World) User(agencyID, name string, roles ...string) *identity.User {
	w.T.Helper()
	return w.user(agencyID, "en", name, roles)
}

func (w *World) user(agencyID, lang, name string, roles []string) *identity.User {
	w.T.Helper()
	if len(roles) == 0 {
		roles = []string{access.Trainee}
	}
	n := next()
	cu, err := w.App.Identity.CreateUser(w.Ctx, access.System(), identity.UserInput{Email: fmt.Sprintf("person%d@example.org", n), FullName: name,
		ServiceNumber: fmt.Sprintf("SN-%d", n), AgencyID: agencyID, Roles: roles, Language: lang})
	w.must("user "+name, err)
	return cu.User
}

// UpdateUser changes a user's details as the platform administrator.
func (w *World) UpdateUser(id string, p identity.UserPatch) *identity.User {
	w.T.Helper()
	u, err := w.App.Identity.UpdateUser(w.Ctx, w.Admin, id, p)
	w.must("update user", err)
	return u
}

// Signatory names who signs the certificates an agency hosts, as the
// platform administrator.
func (w *World) Signatory(agencyID, name, title string) {
	w.T.Helper()
	w.updateAgency(agencyID, func(in *identity.AgencyInput) { in.SignatoryName, in.SignatoryTitle = name, title })
}

// AgencyZone sets the time zone an agency's people read times in, as the
// platform administrator.
func (w *World) AgencyZone(agencyID, zone string) {
	w.T.Helper()
	w.updateAgency(agencyID, func(in *identity.AgencyInput) { in.TimeZone = zone })
}

// updateAgency changes what change sets of an agency's details.
func (w *World) updateAgency(agencyID string, change func(*identity.AgencyInput)) {
	w.T.Helper()
	a, err := w.App.Identity.GetAgency(w.Ctx, w.Admin, agencyID)
	w.must("agency", err)
	in := identity.AgencyInput{Name: a.Name, ShortName: a.ShortName, Country: a.Country, Kind: a.Kind,
		SignatoryName: a.SignatoryName, SignatoryTitle: a.SignatoryTitle, TimeZone: a.TimeZone, Names: a.Names}
	change(&in)
	_, err = w.App.Identity.UpdateAgency(w.Ctx, w.Admin, agencyID, in)
	w.must("update agency", err)
}
