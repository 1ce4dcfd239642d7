package identity

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/secret"
)

// TestLockoutHoldsUnderParallelAttempts fires 60 sign-ins at once, 59 wrong
// and one right: at most five passwords are checked, and once the account
// is locked the right password is refused.
func TestLockoutHoldsUnderParallelAttempts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		f.svc.AccountAttemptLimit, f.svc.AddressFailureLimit = 1000, 1000 // the lockout alone is under test
		u := f.user(t, f.ir, "target@example.ir", access.Trainee)

		var wg sync.WaitGroup
		var mu sync.Mutex
		succeeded := 0
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pw := "not the password"
				if i == 30 {
					pw = testPassword
				}
				if _, err := f.svc.Login(ctx, u.Email, pw, "192.0.2.10"); err == nil {
					mu.Lock()
					succeeded++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		var events []audit.Event
		if err := gdb.Where("subject_id = ? AND action IN ?", u.ID, []string{"auth.login", "auth.login_failed"}).Find(&events).Error; err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, e := range events {
			if e.Action == "auth.login" || strings.Contains(e.Details, "bad_password") {
				checked++
			}
		}
		if len(events) != 60 {
			t.Fatalf("%d attempts audited, want 60", len(events))
		}
		if checked > 5 {
			t.Fatalf("%d passwords were checked; the lockout allows 5", checked)
		}
		if succeeded == 0 {
			// The right password was refused or never checked: the account is locked now.
			if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.10"); apperr.CodeOf(err) != apperr.CodeUnauthorized {
				t.Fatalf("right password accepted while locked: %v", err)
			}
			if auditCount(t, gdb, "auth.lockout", u.ID) != 1 {
				t.Fatal("no lockout recorded")
			}
		}
		// The lock ends with its duration.
		f.clk.Advance(16 * time.Minute)
		if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.10"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}

// TestLateSuccessDoesNotLiftALock: a right password checked while other
// attempts filled the slots and locked the account is refused.
func TestLateSuccessDoesNotLiftALock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "late@example.ir", access.Trainee)
		slot, err := f.svc.reserveAttempt(ctx, u.ID) // the right attempt, still verifying
		if err != nil || slot != 1 {
			t.Fatalf("reserve: %d %v", slot, err)
		}
		for range 4 {
			_, err := f.svc.Login(ctx, u.Email, "not the password", "192.0.2.11")
			apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		}
		if auditCount(t, gdb, "auth.lockout", u.ID) != 1 {
			t.Fatal("five attempts did not lock")
		}
		apperrtest.WantCode(t, f.svc.attemptSucceeded(ctx, u.ID, slot, true), apperr.CodeUnauthorized)
		got, _ := f.svc.UserByID(ctx, u.ID)
		if got.LockedUntil == nil {
			t.Fatal("a late success lifted the lock")
		}
	})
}

// TestSignInThrottling: per account and per address, shared by every
// process through the database.
func TestSignInThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		f.svc.AccountAttemptLimit, f.svc.AddressFailureLimit = 6, 9
		other := NewService(gdb, f.clk) // a second process
		other.AccountAttemptLimit, other.AddressFailureLimit = f.svc.AccountAttemptLimit, f.svc.AddressFailureLimit
		u := f.user(t, f.ir, "busy@example.ir", access.Trainee)
		for i := range f.svc.AccountAttemptLimit {
			svc := f.svc
			if i%2 == 1 {
				svc = other
			}
			_, _ = svc.Login(ctx, "nobody-"+u.Email, "x", "192.0.2.20")
			_, _ = svc.Login(ctx, u.Email, testPassword, "192.0.2.21")
		}
		_, err := other.Login(ctx, u.Email, testPassword, "192.0.2.22")
		apperrtest.WantCode(t, err, apperr.CodeRateLimited)
		// Six failures from .20 so far; three more close the address.
		for range 3 {
			_, _ = f.svc.Login(ctx, "nobody@example.ir", "x", "192.0.2.20")
		}
		v := f.user(t, f.ir, "neighbour@example.ir", access.Trainee)
		_, err = other.Login(ctx, v.Email, testPassword, "192.0.2.20")
		apperrtest.WantCode(t, err, apperr.CodeRateLimited)
		if _, err := other.Login(ctx, v.Email, testPassword, "192.0.2.23"); err != nil {
			t.Fatalf("another address is throttled too: %v", err)
		}
		f.clk.Advance(5 * time.Minute)
		if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.20"); err != nil {
			t.Fatalf("the next window still refuses: %v", err)
		}
	})
}

// TestSignInIdentifierBounds: a huge identifier is refused before any
// work, and what the audit keeps of a failed one is bounded.
func TestSignInIdentifierBounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		_, err := f.svc.Login(ctx, strings.Repeat("a", 255)+"@x.ir", "x", "192.0.2.30")
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		long := strings.Repeat("b", 200) + "@example.ir"
		_, err = f.svc.Login(ctx, long, "x", "192.0.2.30")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		var details []string
		if err := gdb.Model(&audit.Event{}).Where("action = 'auth.login_failed'").Pluck("details", &details).Error; err != nil {
			t.Fatal(err)
		}
		if len(details) != 1 || len(details[0]) > 200 {
			t.Fatalf("audit keeps %d events, %d bytes", len(details), len(details[0]))
		}
	})
}

func TestPasswordPolicy(t *testing.T) {
	if n := BlocklistSize(); n < 100_000 {
		t.Fatalf("blocklist has %d entries", n)
	}
	words := contextWords("umed.nazarov@dca.example.tj", "Умед Назаров", "Umed Nazarov")
	for _, tc := range []struct {
		pw  string
		mfa bool
		key string
	}{
		{"twelve chars", false, "password.too_short"},
		{"twelve chars", true, ""},
		{"short", true, "password.too_short"},
		{strings.Repeat("x", 129), true, "password.too_long"},
		{"aaaaaaaaaaaaaaa", false, "password.repetitive"},
		{"trainee2trainee2", false, "password.repetitive"},
		{"123456789012345", false, "password.repetitive"},
		{"qwertyuiopasdfgh", false, "password.repetitive"},
		{"password1234567", false, "password.too_common"},
		{"P@ssw0rd!!!!!!!", false, "password.too_common"},
		{"basketball2026!", false, "password.too_common"},
		{"nazarov is my name", false, "password.personal"},
		{"umed likes tea a lot", false, "password.personal"},
		{"river lantern seventeen", false, ""},
		{"گذرواژه‌ی بلند و امن", false, ""},
	} {
		err := checkPassword("password", tc.pw, tc.mfa, words)
		got := ""
		if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
			got = e.Fields[0].Key
		}
		if got != tc.key {
			t.Errorf("%q (second factor %v): %q, want %q", tc.pw, tc.mfa, got, tc.key)
		}
	}
}

// TestSecondFactor: set-up, one use per code, recovery codes once, wrong
// codes counted by the lockout, removal and reset.
func TestSecondFactor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "coord@example.ir", access.Coordinator)
		if !f.svc.RequiresSecondFactor(u) {
			t.Fatal("a coordinator needs a second factor by default")
		}
		setup, err := f.svc.BeginTOTP(ctx, f.actor(u))
		if err != nil || !strings.HasPrefix(setup.OtpauthURL, "otpauth://totp/") {
			t.Fatalf("begin: %+v %v", setup, err)
		}
		code := func() string {
			c, err := totp.GenerateCodeCustom(setup.Secret, f.clk.Now(), totpOpts)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		_, err = f.svc.ConfirmTOTP(ctx, f.actor(u), "000000")
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		codes, err := f.svc.ConfirmTOTP(ctx, f.actor(u), code())
		if err != nil || len(codes) != 10 {
			t.Fatalf("confirm: %v %v", codes, err)
		}
		var stored []string
		gdb.Model(&RecoveryCode{}).Where("user_id = ?", u.ID).Pluck("code_hash", &stored)
		if len(stored) != 10 || strings.Contains(strings.Join(stored, ","), codes[0]) {
			t.Fatal("recovery codes are not kept hashed")
		}
		// The code used to confirm is spent; the next step's code works once.
		_, err = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code()}, "192.0.2.40")
		apperrtest.WantCode(t, err, CodeMFAInvalid)
		f.clk.Advance(30 * time.Second)
		if _, err := f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code()}, "192.0.2.40"); err != nil {
			t.Fatalf("fresh code: %v", err)
		}
		_, err = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code()}, "192.0.2.40")
		apperrtest.WantCode(t, err, CodeMFAInvalid)
		// A recovery code works once, typed any way.
		rc := strings.ToUpper(codes[3])
		if _, err := f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{RecoveryCode: rc}, "192.0.2.40"); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		_, err = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{RecoveryCode: rc}, "192.0.2.40")
		apperrtest.WantCode(t, err, CodeMFAInvalid)
		// Wrong codes count with wrong passwords: the lock then refuses a right one.
		for range 4 {
			_, _ = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: "123456"}, "192.0.2.41")
		}
		f.clk.Advance(30 * time.Second)
		_, err = f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code()}, "192.0.2.41")
		apperrtest.WantCode(t, err, CodeMFAInvalid)
		if auditCount(t, gdb, "auth.lockout", u.ID) != 1 {
			t.Fatal("wrong codes did not lock the account")
		}
		// Removing needs the password and a current code; a reset needs an agency admin.
		f.clk.Advance(16 * time.Minute)
		_, err = f.svc.RemoveSecondFactor(ctx, f.actor(u), MFARemoval{Password: "wrong", Code: code()})
		apperrtest.WantCode(t, err, apperr.CodeInvalid)
		if _, err := f.svc.RemoveSecondFactor(ctx, f.actor(u), MFARemoval{Password: testPassword, Code: code()}); err != nil {
			t.Fatal(err)
		}
		if has, _ := f.svc.HasSecondFactor(ctx, u.ID); has {
			t.Fatal("factor still there")
		}
		setup, _ = f.svc.BeginTOTP(ctx, f.actor(u))
		f.clk.Advance(30 * time.Second)
		if _, err := f.svc.ConfirmTOTP(ctx, f.actor(u), code()); err != nil {
			t.Fatal(err)
		}
		aa := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin)
		apperrtest.WantCode(t, f.svc.ResetSecondFactor(ctx, f.actor(u), aa.ID), apperr.CodeNotFound)
		if err := f.svc.ResetSecondFactor(ctx, f.actor(aa), u.ID); err != nil {
			t.Fatal(err)
		}
		if has, _ := f.svc.HasSecondFactor(ctx, u.ID); has || auditCount(t, gdb, "user.mfa_reset", u.ID) != 1 {
			t.Fatal("reset did not remove the factor or was not audited")
		}
	})
}

// TestTokensEndWithTheirOwnersAccess: a new password, new roles or a
// disabled account end every token.
func TestTokensEndWithTheirOwnersAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		aa := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin)
		u := f.user(t, f.ir, "api@example.ir", access.Trainee)
		newToken := func() string {
			t.Helper()
			nt, err := f.svc.CreateToken(ctx, verified(f.actor(u)), TokenInput{Name: "client", ExpiresAt: f.clk.Now().Add(24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return nt.Token
		}
		alive := func(tok string) bool { _, _, err := f.svc.Authenticate(ctx, tok); return err == nil }

		tok := newToken()
		if !alive(tok) {
			t.Fatal("new token refused")
		}
		if _, err := f.svc.ChangePassword(ctx, f.actor(u), PasswordChange{CurrentPassword: testPassword, NewPassword: "an entirely new passphrase"}); err != nil {
			t.Fatal(err)
		}
		if alive(tok) {
			t.Fatal("token survived a password change")
		}
		tok = newToken()
		roles := []string{"trainee", "instructor"}
		if _, err := f.svc.UpdateUser(ctx, f.actor(aa), u.ID, UserPatch{Roles: &roles}); err != nil {
			t.Fatal(err)
		}
		if alive(tok) {
			t.Fatal("token survived a role change")
		}
		tok = newToken()
		yes := true
		if _, err := f.svc.UpdateUser(ctx, f.actor(aa), u.ID, UserPatch{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		if alive(tok) {
			t.Fatal("token survived disabling")
		}
	})
}

// TestAuthenticatorSecretsSealed: with a secret key the stored TOTP secret
// is ciphertext bound to its owner, and sign-in works through it.
func TestAuthenticatorSecretsSealed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		box, err := secret.NewBox([]byte("0123456789abcdef0123456789abcdef"))
		if err != nil {
			t.Fatal(err)
		}
		f.svc.Secrets = box
		u := f.user(t, f.ir, "sealed@example.ir", access.Coordinator)
		setup, err := f.svc.BeginTOTP(ctx, f.actor(u))
		if err != nil {
			t.Fatal(err)
		}
		var stored TOTP
		gdb.Where("user_id = ?", u.ID).Take(&stored)
		if !secret.IsSealed(stored.Secret) || strings.Contains(stored.Secret, setup.Secret) {
			t.Fatalf("stored in the clear: %q", stored.Secret)
		}
		code, _ := totp.GenerateCodeCustom(setup.Secret, f.clk.Now(), totpOpts)
		if _, err := f.svc.ConfirmTOTP(ctx, f.actor(u), code); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(30 * time.Second)
		code, _ = totp.GenerateCodeCustom(setup.Secret, f.clk.Now(), totpOpts)
		if _, err := f.svc.VerifySecondFactor(ctx, u.ID, SecondFactorInput{Code: code}, "192.0.2.70"); err != nil {
			t.Fatal(err)
		}
	})
}
