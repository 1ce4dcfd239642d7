package identity

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
)

func TestLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.tj, "Trainee@Example.TJ", "trainee")

		got, err := f.svc.Login(ctx, "trainee@example.tj", testPassword, "192.0.2.7")
		if err != nil || got.ID != u.ID {
			t.Fatalf("login with other-case email: %v", err)
		}
		if n := auditCount(t, gdb, "auth.login", u.ID); n != 1 {
			t.Fatalf("auth.login events = %d", n)
		}
		_, err = f.svc.Login(ctx, "trainee@example.tj", "wrong password!", "192.0.2.7")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		_, errUnknown := f.svc.Login(ctx, "nobody@example.tj", "wrong password!", "192.0.2.7")
		// The answers for a wrong password and an unknown email are the same.
		if e1, _ := apperr.As(err); e1.MessageKey() != mustAs(t, errUnknown).MessageKey() {
			t.Fatal("unknown email answers differently from a wrong password")
		}
		if n := auditCount(t, gdb, "auth.login_failed", ""); n != 2 {
			t.Fatalf("auth.login_failed events = %d", n)
		}
	})
}

func mustAs(t *testing.T, err error) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not an apperr: %v", err)
	}
	return e
}

func TestLockoutAndUnlockByTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "officer@example.ir", "trainee")
		for i := 0; i < 5; i++ {
			_, err := f.svc.Login(ctx, u.Email, "not the password", "192.0.2.9")
			apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		}
		if n := auditCount(t, gdb, "auth.lockout", u.ID); n != 1 {
			t.Fatalf("auth.lockout events = %d", n)
		}
		// Locked: even the right password fails.
		_, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.9")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)

		f.clk.Advance(14 * time.Minute)
		_, err = f.svc.Login(ctx, u.Email, testPassword, "192.0.2.9")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)

		f.clk.Advance(2 * time.Minute)
		if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.9"); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		// Four failures then a success resets the count: no lock.
		for i := 0; i < 4; i++ {
			_, _ = f.svc.Login(ctx, u.Email, "not the password", "192.0.2.9")
		}
		if _, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.9"); err != nil {
			t.Fatalf("four failures locked the account: %v", err)
		}
	})
}

func TestDisabledUserCannotSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		u := f.user(t, f.ir, "leaver@example.ir", "trainee")
		yes := true
		if _, err := f.svc.UpdateUser(ctx, f.actor(f.admin), u.ID, UserPatch{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Login(ctx, u.Email, testPassword, "192.0.2.1")
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		if n := auditCount(t, gdb, "user.disable", u.ID); n != 1 {
			t.Fatalf("user.disable events = %d", n)
		}
	})
}

func TestPasswordPolicyAndHashing(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                   false,
		"password1234567":         false, // common, with digits added
		"Password1234567":         false, // common, whatever the case
		"a long passphrase here":  true,
		"گذرواژه‌ی بلند و امن":    true,
		string(make([]byte, 129)): false,
	} {
		if err := checkPassword("password", pw, false, nil); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
	h, err := HashPassword("a long passphrase here")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := VerifyPassword(h, "a long passphrase here"); !ok {
		t.Error("right password refused")
	}
	if ok, _ := VerifyPassword(h, "a long passphrase herE"); ok {
		t.Error("wrong password accepted")
	}
	// Hashes carry their parameters, so older, cheaper hashes still verify.
	old := hashParams
	hashParams.Memory, hashParams.Time = 16*1024, 1
	cheap, _ := HashPassword("a long passphrase here")
	hashParams = old
	if ok, _ := VerifyPassword(cheap, "a long passphrase here"); !ok {
		t.Error("hash with other parameters does not verify")
	}
}
