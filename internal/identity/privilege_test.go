package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
)

// TestPrivilegeFlowsDownward reproduces the review's escalations: hr giving
// itself coordinator, lower roles editing the agency's administrator, one
// agency's administrator reaching the partner's personnel; each is refused.
func TestPrivilegeFlowsDownward(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		hr := f.user(t, f.ir, "hr@example.ir", access.HR)
		coord := f.user(t, f.ir, "coord@example.ir", access.Coordinator)
		aa := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin)
		trainee := f.user(t, f.ir, "t@example.ir", access.Trainee)
		aaTJ := f.user(t, f.tj, "aa@example.tj", access.AgencyAdmin)
		roles := func(r ...string) *[]string { return &r }
		name := "Renamed"

		for label, tc := range map[string]struct {
			actor *User
			id    string
			patch UserPatch
			code  string
		}{
			"hr gives itself coordinator":           {hr, hr.ID, UserPatch{Roles: roles("hr", "coordinator")}, apperr.CodeInvalid},
			"admin changes own roles":               {f.admin, f.admin.ID, UserPatch{Roles: roles("admin", "trainee")}, apperr.CodeInvalid},
			"hr grants instructor":                  {hr, trainee.ID, UserPatch{Roles: roles("trainee", "instructor")}, apperr.CodeInvalid},
			"coordinator grants coordinator":        {coord, trainee.ID, UserPatch{Roles: roles("coordinator")}, apperr.CodeInvalid},
			"coordinator renames agency admin":      {coord, aa.ID, UserPatch{FullName: &name}, apperr.CodeForbidden},
			"hr demotes agency admin":               {hr, aa.ID, UserPatch{Roles: roles("trainee")}, apperr.CodeForbidden},
			"hr edits a coordinator":                {hr, coord.ID, UserPatch{FullName: &name}, apperr.CodeForbidden},
			"agency admin grants admin":             {aa, trainee.ID, UserPatch{Roles: roles("admin")}, apperr.CodeInvalid},
			"agency admin edits the platform admin": {aa, f.admin.ID, UserPatch{FullName: &name}, apperr.CodeForbidden},
			"agency admin of TJ edits IR":           {aaTJ, trainee.ID, UserPatch{FullName: &name}, apperr.CodeNotFound},
		} {
			before, _ := f.svc.UserByID(ctx, tc.id)
			_, err := f.svc.UpdateUser(ctx, f.actor(tc.actor), tc.id, tc.patch)
			if apperr.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", label, err, tc.code)
			}
			after, _ := f.svc.UserByID(ctx, tc.id)
			if after.FullName != before.FullName || strings.Join(after.RoleNames(), ",") != strings.Join(before.RoleNames(), ",") {
				t.Errorf("%s: the refused change was written", label)
			}
		}
		// Creating follows the same grants.
		_, err := f.svc.CreateUser(ctx, f.actor(hr), UserInput{Email: "new@example.ir", FullName: "N", Roles: []string{"coordinator"}, Password: "a long passphrase here"})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		// What may be granted is granted, and ends the person's sessions.
		got, err := f.svc.UpdateUser(ctx, f.actor(aa), trainee.ID, UserPatch{Roles: roles("trainee", "coordinator")})
		if err != nil || got.SessionEpoch != trainee.SessionEpoch+1 {
			t.Fatalf("agency admin grants coordinator: %v", err)
		}
		if auditCount(t, gdb, "user.role_change", trainee.ID) != 1 {
			t.Fatal("role change not audited as user.role_change")
		}
		// Resets: the agency admin of the person's agency or an admin only.
		apperrtest.WantCode(t, f.svc.ResetPassword(ctx, f.actor(aaTJ), hr.ID), apperr.CodeNotFound)
		apperrtest.WantCode(t, f.svc.ResetPassword(ctx, f.actor(coord), hr.ID), apperr.CodeNotFound)
		apperrtest.WantCode(t, f.svc.ResetSecondFactor(ctx, f.actor(aaTJ), hr.ID), apperr.CodeNotFound)
		if err := f.svc.ResetPassword(ctx, f.actor(aa), hr.ID); err != nil {
			t.Fatalf("agency admin resets own agency: %v", err)
		}
		if err := f.svc.ResetPassword(ctx, f.actor(f.admin), aaTJ.ID); err != nil {
			t.Fatalf("platform admin resets anywhere: %v", err)
		}
	})
}

// TestImportObeysTheSameGuards reproduces the import escalation: a
// coordinator's CSV demoting and renaming the agency's administrator, and
// blanking columns the file does not have.
func TestImportObeysTheSameGuards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		coord := f.user(t, f.ir, "coord@example.ir", access.Coordinator)
		aa := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin)
		trainee := f.user(t, f.ir, "t@example.ir", access.Trainee)
		rank, lang := "سروان", "fa"
		if _, err := f.svc.UpdateUser(ctx, f.actor(aa), trainee.ID, UserPatch{Rank: &rank, Language: &lang}); err != nil {
			t.Fatal(err)
		}

		csv := "email,full_name,roles\naa@example.ir,Demoted,trainee\n"
		plan, err := f.svc.PreviewImport(ctx, f.actor(coord), "", strings.NewReader(csv))
		if err != nil || plan.Failed != 1 || plan.Rows[0].Errors[0].Key != "user.outranks_you" {
			t.Fatalf("preview of demoting the agency admin: %+v %v", plan, err)
		}
		_, err = f.svc.CommitImport(ctx, f.actor(coord), "", strings.NewReader(csv))
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		after, _ := f.svc.UserByID(ctx, aa.ID)
		if after.FullName != aa.FullName || !strings.Contains(strings.Join(after.RoleNames(), ","), access.AgencyAdmin) {
			t.Fatal("the import changed the agency admin")
		}

		// A file without rank or language leaves them as they are; a new role
		// through the import is a role change like any other.
		csv = "email,full_name,roles\nt@example.ir,Renamed Trainee,trainee|instructor\n"
		if _, err := f.svc.CommitImport(ctx, f.actor(aa), "", strings.NewReader(csv)); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.UserByID(ctx, trainee.ID)
		if got.Rank != rank || got.Language != lang || got.FullName != "Renamed Trainee" {
			t.Fatalf("import blanked or missed columns: rank %q language %q name %q", got.Rank, got.Language, got.FullName)
		}
		if auditCount(t, gdb, "user.role_change", trainee.ID) != 1 || got.SessionEpoch <= trainee.SessionEpoch {
			t.Fatal("an imported role change was not audited as one or did not end sessions")
		}

		// The dry run does not tell an address of another agency from a new one.
		f.user(t, f.tj, "elsewhere@example.tj", access.Trainee)
		unknown, _ := f.svc.PreviewImport(ctx, f.actor(aa), "", strings.NewReader("email,full_name\nnobody@example.tj,X\n"))
		taken, _ := f.svc.PreviewImport(ctx, f.actor(aa), "", strings.NewReader("email,full_name\nelsewhere@example.tj,X\n"))
		if unknown.Rows[0].Action != taken.Rows[0].Action || len(taken.Rows[0].Errors) != 0 {
			t.Fatalf("dry run reveals another agency's address: %+v vs %+v", unknown.Rows[0], taken.Rows[0])
		}
	})
}

// TestAccountTakeoverPathsAreClosed: an address change by someone below an
// agency admin, old reset links after a password or address change, and a
// short password kept after the second factor goes.
func TestAccountTakeoverPathsAreClosed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		coord := f.user(t, f.ir, "coord@example.ir", access.Coordinator)
		aa := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin)
		aa2 := f.user(t, f.ir, "aa2@example.ir", access.AgencyAdmin)
		trainee := f.user(t, f.ir, "t@example.ir", access.Trainee)
		hr := f.user(t, f.ir, "hr@example.ir", access.HR)
		evil := "attacker@evil.example"
		for label, tc := range map[string]struct {
			actor, target *User
		}{
			"coordinator changes a trainee's address":     {coord, trainee},
			"agency admin changes another agency admin's": {aa, aa2},
			"an hr officer changes their own address":     {hr, hr},
		} {
			_, err := f.svc.UpdateUser(ctx, f.actor(tc.actor), tc.target.ID, UserPatch{Email: &evil})
			if e, _ := apperr.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Key != "user.email_change_not_allowed" {
				t.Errorf("%s: %v", label, err)
			}
		}
		// A reset link sent to the old address dies with the change.
		if err := f.svc.RequestPasswordReset(ctx, trainee.Email, "192.0.2.60"); err != nil {
			t.Fatal(err)
		}
		newAddr := "new.address@example.ir"
		if _, err := f.svc.UpdateUser(ctx, f.actor(aa), trainee.ID, UserPatch{Email: &newAddr}); err != nil {
			t.Fatalf("agency admin changes a trainee's address: %v", err)
		}
		if n := countRows(t, gdb, &PasswordToken{}, "user_id = ? AND used_at IS NULL", trainee.ID); n != 0 {
			t.Fatalf("%d links to the old address still work", n)
		}
		// A password change spends links too.
		if err := f.svc.RequestPasswordReset(ctx, newAddr, "192.0.2.60"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ChangePassword(ctx, f.actor(trainee), PasswordChange{CurrentPassword: testPassword, NewPassword: "a different long passphrase"}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, gdb, &PasswordToken{}, "user_id = ? AND used_at IS NULL", trainee.ID); n != 0 {
			t.Fatalf("%d links survive a password change", n)
		}
		// Removing the factor leaves a password chosen under the shorter rule: it must change.
		setup, _ := f.svc.BeginTOTP(ctx, f.actor(coord))
		code, _ := totp.GenerateCodeCustom(setup.Secret, f.clk.Now(), totpOpts)
		if _, err := f.svc.ConfirmTOTP(ctx, f.actor(coord), code); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ResetSecondFactor(ctx, f.actor(aa), coord.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.UserByID(ctx, coord.ID); !got.MustChangePassword {
			t.Fatal("the password need not change after the factor went")
		}
	})
}

// TestWrongCodesLockDespiteRightPasswords: the right password does not wipe
// the failures of the codes that follow it.
func TestWrongCodesLockDespiteRightPasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "hr@example.ir", access.HR)
		setup, _ := f.svc.BeginTOTP(ctx, f.actor(u))
		code := func() string { c, _ := totp.GenerateCodeCustom(setup.Secret, f.clk.Now(), totpOpts); return c }
		if _, err := f.svc.ConfirmTOTP(ctx, f.actor(u), code()); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.61"); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				_, _ = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: "000000"}, "192.0.2.61")
			}
		}
		if auditCount(t, gdb, "auth.lockout", u.ID) != 1 {
			t.Fatal("wrong codes between right passwords never locked the account")
		}
		f.clk.Advance(30 * time.Second)
		_, err := f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code()}, "192.0.2.61")
		apperrtest.WantCode(t, err, CodeMFAInvalid)
	})
}
