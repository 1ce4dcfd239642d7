package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestPseudonymisePage: an agency's admin pseudonymises a disabled person of
// their agency from the person's page, once confirmed, with an audit event;
// an active person is refused with the reason; another agency's person
// answers 404 and is left as they were.
func TestPseudonymisePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		ctx := context.Background()
		disable := func(key string) *identity.User {
			t.Helper()
			yes := true
			u, err := env.App.Identity.UpdateUser(ctx, access.System(), env.Users[key].ID, identity.UserPatch{Disabled: &yes})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		gone, other := disable("a/trainee"), disable("b/trainee")
		active := env.Users["a/instructor"]
		admin := env.As("a/agency_admin")
		post := func(id, body string) *webtest.Response {
			return admin.Do("POST", "/manage/users/"+id+"/pseudonymise", body, "Content-Type", "application/x-www-form-urlencoded")
		}
		page := "/manage/users/" + gone.ID
		if res := admin.Do("GET", page, nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="pseudonymise"`) {
			t.Fatalf("a disabled person's page offers no pseudonymisation: %d", res.Status)
		}
		if res := admin.Do("GET", "/manage/users/"+active.ID, nil); strings.Contains(string(res.Body), `id="pseudonymise"`) {
			t.Fatal("an active person's page offers pseudonymisation")
		}

		if res := post(gone.ID, ""); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "Tick the confirmation") {
			t.Fatalf("without confirmation: %d", res.Status)
		}
		if res := post(active.ID, "confirm=yes"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="pseudonymise-refused"`) ||
			!strings.Contains(string(res.Body), "Only a disabled person can be pseudonymised") {
			t.Fatalf("an active person: %d %s", res.Status, res.Body)
		}
		if res := post(other.ID, "confirm=yes"); res.Status != http.StatusNotFound {
			t.Fatalf("another agency's person: %d", res.Status)
		}
		if res := post(gone.ID, "confirm=yes"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != page {
			t.Fatalf("pseudonymise: %d %s", res.Status, res.Header.Get("Location"))
		}

		res := admin.Do("GET", page, nil)
		body := string(res.Body)
		if !strings.Contains(body, `id="pseudonymised"`) || !strings.Contains(body, identity.PseudonymName) ||
			strings.Contains(body, gone.Email) || strings.Contains(body, `id="pseudonymise"`) {
			t.Fatalf("the page after pseudonymisation: %d %s", res.Status, body)
		}
		for key, want := range map[string]bool{"a/trainee": true, "b/trainee": false, "a/instructor": false} {
			u, err := env.App.Identity.UserByID(ctx, env.Users[key].ID)
			if err != nil {
				t.Fatal(err)
			}
			if u.Pseudonymised() != want {
				t.Errorf("%s pseudonymised: %v", key, u.Pseudonymised())
			}
		}
		var events []audit.Event
		gdb.Where("action = ?", identity.ActionPseudonymise).Find(&events)
		if len(events) != 1 || events[0].SubjectID != gone.ID || events[0].ActorID == nil || *events[0].ActorID != env.Users["a/agency_admin"].ID {
			t.Fatalf("audit events: %+v", events)
		}
	})
}

// TestPseudonymiseOnlyWhomYouOutrank: an agency's admin may not erase a
// disabled platform admin of their agency, whose password they may not
// reset either; the admin is left as they were.
func TestPseudonymiseOnlyWhomYouOutrank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		ctx := context.Background()
		yes := true
		target := env.Users["a/admin"]
		if _, err := env.App.Identity.UpdateUser(ctx, access.System(), target.ID, identity.UserPatch{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		res := env.As("a/agency_admin").Do("POST", "/manage/users/"+target.ID+"/pseudonymise", "confirm=yes", "Content-Type", "application/x-www-form-urlencoded")
		if res.Status != http.StatusForbidden {
			t.Errorf("an agency admin pseudonymises a platform admin: %d", res.Status)
		}
		u, err := env.App.Identity.UserByID(ctx, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		if u.Pseudonymised() || u.FullName != target.FullName {
			t.Errorf("the admin was erased: %q", u.FullName)
		}
	})
}
