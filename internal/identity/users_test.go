package identity

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
)

func TestCreateUserRulesAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		coord := f.user(t, f.ir, "coord@example.ir", access.Coordinator)
		other := f.user(t, f.tj, "coord@example.tj", access.Coordinator)
		in := UserInput{Email: "New@Example.ir", FullName: "رضا حسینی", ServiceNumber: "IR-77", Roles: []string{"trainee"}}

		cu, err := f.svc.CreateUser(ctx, f.actor(coord), in)
		if err != nil {
			t.Fatal(err)
		}
		// Without a password the person is invited to choose one: nobody else knows it.
		if cu.AgencyID != f.ir.ID || cu.InitialPassword != "" || !cu.Invited || cu.MustChangePassword || cu.PasswordHash != unusableHash {
			t.Fatalf("created %+v", cu)
		}
		if n := countRows(t, gdb, &PasswordToken{}, "user_id = ? AND purpose = 'invite'", cu.ID); n != 1 {
			t.Fatalf("invitation links = %d", n)
		}
		if n := auditCount(t, gdb, "user.create", cu.ID); n != 1 {
			t.Fatalf("user.create events = %d", n)
		}
		// The audit trail never holds a password or its hash.
		var details string
		gdb.Table("audit_events").Where("subject_id = ?", cu.ID).Select("details").Scan(&details)
		if strings.Contains(details, "argon2") || strings.Contains(details, "token") {
			t.Fatal("audit details hold a secret")
		}

		for name, tc := range map[string]struct {
			actor access.Actor
			in    UserInput
			code  string
			field string
		}{
			"duplicate email any case": {f.actor(coord), UserInput{Email: "new@EXAMPLE.ir", FullName: "x", Roles: []string{"trainee"}}, apperr.CodeInvalid, "email"},
			"duplicate service number": {f.actor(coord), UserInput{Email: "b@example.ir", FullName: "x", ServiceNumber: "IR-77", Roles: []string{"trainee"}}, apperr.CodeInvalid, "service_number"},
			"coordinator grants admin": {f.actor(coord), UserInput{Email: "c@example.ir", FullName: "x", Roles: []string{"admin"}}, apperr.CodeInvalid, "roles"},
			"other agency":             {f.actor(coord), UserInput{Email: "d@example.ir", FullName: "x", AgencyID: f.tj.ID, Roles: []string{"trainee"}}, apperr.CodeInvalid, "agency_id"},
			"bad email":                {f.actor(coord), UserInput{Email: "nope", FullName: "x", Roles: []string{"trainee"}}, apperr.CodeInvalid, "email"},
			"no roles":                 {f.actor(coord), UserInput{Email: "e@example.ir", FullName: "x"}, apperr.CodeInvalid, "roles"},
			"unknown role":             {f.actor(coord), UserInput{Email: "e@example.ir", FullName: "x", Roles: []string{"general"}}, apperr.CodeInvalid, "roles[0]"},
			"weak password":            {f.actor(coord), UserInput{Email: "e@example.ir", FullName: "x", Roles: []string{"trainee"}, Password: "short"}, apperr.CodeInvalid, "password"},
			"trainee creates":          {access.Actor{UserID: "x", AgencyID: f.ir.ID, Roles: []string{"trainee"}}, UserInput{Email: "f@example.ir", FullName: "x", Roles: []string{"trainee"}}, apperr.CodeForbidden, ""},
		} {
			_, err := f.svc.CreateUser(ctx, tc.actor, tc.in)
			if apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: code %s, want %s (%v)", name, apperr.CodeOf(err), tc.code, err)
				continue
			}
			if tc.field != "" {
				if e, _ := apperr.As(err); len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
					t.Errorf("%s: fields %+v, want %s", name, e.Fields, tc.field)
				}
			}
		}
		// Another agency's coordinator cannot see or change the new user: not found.
		if _, err := f.svc.GetUser(ctx, f.actor(other), cu.ID); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("other agency GetUser: %v", err)
		}
		name := "Changed"
		if _, err := f.svc.UpdateUser(ctx, f.actor(other), cu.ID, UserPatch{FullName: &name}); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("other agency UpdateUser: %v", err)
		}
		page, err := f.svc.ListUsers(ctx, f.actor(other), UserQuery{AgencyID: f.ir.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Items {
			if u.AgencyID != f.tj.ID {
				t.Fatalf("coordinator of TJ listed a user of agency %s", u.AgencyID)
			}
		}
	})
}

func TestUpdateUserAndListing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		hr := f.user(t, f.tj, "hr@example.tj", access.HR)
		aa := f.user(t, f.tj, "aa@example.tj", access.AgencyAdmin)
		u := f.user(t, f.tj, "umed@example.tj", access.Trainee)
		roles := []string{"trainee", "instructor"}
		// hr grants nothing but trainee; the agency admin grants instructor.
		_, err := f.svc.UpdateUser(ctx, f.actor(hr), u.ID, UserPatch{Roles: &roles})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		rank := "капитан"
		got, err := f.svc.UpdateUser(ctx, f.actor(aa), u.ID, UserPatch{Roles: &roles, Rank: &rank})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.RoleNames(), ",") != "instructor,trainee" || got.Rank != rank || got.SessionEpoch != u.SessionEpoch+1 {
			t.Fatalf("after update: roles %v rank %q epoch %d", got.RoleNames(), got.Rank, got.SessionEpoch)
		}
		if n := auditCount(t, gdb, "user.role_change", u.ID); n != 1 {
			t.Fatalf("user.role_change events = %d", n)
		}
		adminRoles := []string{"admin"}
		_, err = f.svc.UpdateUser(ctx, f.actor(aa), u.ID, UserPatch{Roles: &adminRoles})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		// hr may no longer edit the person at all: they hold a role hr cannot grant.
		_, err = f.svc.UpdateUser(ctx, f.actor(hr), u.ID, UserPatch{Rank: &rank})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		page, err := f.svc.ListUsers(ctx, f.actor(hr), UserQuery{Q: "UMED", Role: "instructor"})
		if err != nil || page.Total != 1 || page.Items[0].ID != u.ID {
			t.Fatalf("search: %+v %v", page, err)
		}
		page, _ = f.svc.ListUsers(ctx, f.actor(f.admin), UserQuery{Params: pageParams(1, 2)})
		if page.Total != 4 || len(page.Items) != 2 || page.PerPage != 2 {
			t.Fatalf("admin listing: total %d items %d", page.Total, len(page.Items))
		}
		page, _ = f.svc.ListUsers(ctx, f.actor(f.admin), UserQuery{Params: pageParams(9, 2)})
		if page.Total != 4 || len(page.Items) != 0 {
			t.Fatalf("page past the end: %+v", page)
		}
	})
}

func TestTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		hr := f.user(t, f.ir, "hr@example.ir", access.HR)
		_, err := f.svc.CreateToken(ctx, f.actor(hr), TokenInput{Name: "no second factor", ExpiresAt: f.clk.Now().Add(time.Hour)})
		apperrtest.WantCode(t, err, CodeMFARequired)
		nt, err := f.svc.CreateToken(ctx, verified(f.actor(hr)), TokenInput{Name: "HR system", ExpiresAt: f.clk.Now().Add(30 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		var stored AccessToken
		gdb.Where("id = ?", nt.ID).Take(&stored)
		if stored.TokenHash == nt.Token || strings.Contains(stored.TokenHash, nt.Token) {
			t.Fatal("the secret is stored in clear")
		}
		u, _, err := f.svc.Authenticate(ctx, nt.Token)
		if err != nil || u.ID != hr.ID {
			t.Fatalf("authenticate: %v", err)
		}
		if _, _, err := f.svc.Authenticate(ctx, nt.Token+"x"); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			t.Fatal("a wrong secret authenticated")
		}
		// Another user cannot revoke it; its owner can.
		other := f.user(t, f.ir, "other@example.ir", access.HR)
		apperrtest.WantCode(t, f.svc.RevokeToken(ctx, f.actor(other), nt.ID), apperr.CodeNotFound)
		if err := f.svc.RevokeToken(ctx, f.actor(hr), nt.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Authenticate(ctx, nt.Token); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			t.Fatal("a revoked token authenticated")
		}
		if auditCount(t, gdb, "token.create", nt.ID) != 1 || auditCount(t, gdb, "token.revoke", nt.ID) != 1 {
			t.Fatal("token events not audited")
		}
		// Expiry by the clock.
		nt2, _ := f.svc.CreateToken(ctx, verified(f.actor(hr)), TokenInput{Name: "short", ExpiresAt: f.clk.Now().Add(time.Hour)})
		f.clk.Advance(2 * time.Hour)
		if _, _, err := f.svc.Authenticate(ctx, nt2.Token); apperr.CodeOf(err) != apperr.CodeUnauthorized {
			t.Fatal("an expired token authenticated")
		}
		_, err = f.svc.CreateToken(ctx, verified(f.actor(hr)), TokenInput{Name: "past", ExpiresAt: f.clk.Now().Add(-time.Hour)})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
	})
}

func TestPasswordChangeAndReset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "p@example.ir", access.Trainee)
		_, err := f.svc.ChangePassword(ctx, f.actor(u), PasswordChange{CurrentPassword: "wrong", NewPassword: "another long secret"})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		got, err := f.svc.ChangePassword(ctx, f.actor(u), PasswordChange{CurrentPassword: testPassword, NewPassword: "another long secret"})
		if err != nil {
			t.Fatal(err)
		}
		if got.SessionEpoch != u.SessionEpoch+1 {
			t.Fatal("sessions not ended by a password change")
		}
		// A reset ends the password and every session, and sends a link.
		if err := f.svc.ResetPassword(ctx, f.actor(f.admin), u.ID); err != nil {
			t.Fatal(err)
		}
		after, _ := f.svc.UserByID(ctx, u.ID)
		if after.PasswordHash != unusableHash || after.SessionEpoch != got.SessionEpoch+1 {
			t.Fatalf("after reset: hash %q epoch %d", after.PasswordHash, after.SessionEpoch)
		}
		_, err = f.svc.Login(ctx, u.Email, "another long secret", "192.0.2.1")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		if countRows(t, gdb, &PasswordToken{}, "user_id = ? AND purpose = 'reset' AND used_at IS NULL", u.ID) != 1 {
			t.Fatal("no reset link")
		}
		if auditCount(t, gdb, "user.password_change", u.ID) != 1 || auditCount(t, gdb, "user.password_reset", u.ID) != 1 {
			t.Fatal("password events not audited")
		}
		coord := f.user(t, f.ir, "c@example.ir", access.Coordinator)
		apperrtest.WantCode(t, f.svc.ResetPassword(ctx, f.actor(coord), u.ID), apperr.CodeNotFound)
	})
}
