package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/db/dbtest"
	"muster/internal/notify"
	"muster/internal/webtest"
)

func totpNow(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// TestSecondFactorSignIn walks the contract's sign-in: a coordinator
// without a factor is held at its set-up, sets it up, and from then on
// signs in in two steps; every step that rotates the CSRF token answers it.
func TestSecondFactorSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		email := env.Users["a/coordinator"].Email
		c := env.Anonymous()
		res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": webtest.Password})
		var first struct {
			CSRF  string `json:"csrf_token"`
			Setup bool   `json:"mfa_setup_required"`
		}
		res.JSON(&first)
		if res.Status != 200 || !first.Setup || first.CSRF == "" {
			t.Fatalf("first sign-in: %d %s", res.Status, res.Body)
		}
		c.CSRF = first.CSRF
		// Held: only the own record, the password, the set-up and sign-out.
		if res := c.Do("GET", "/api/v1/users", nil); res.Status != 403 || res.Map()["code"] != "mfa_setup_required" {
			t.Fatalf("before set-up, the user list: %d %s", res.Status, res.Body)
		}
		if res := c.Do("GET", "/api/v1/me", nil); res.Status != 200 {
			t.Fatalf("before set-up, /me: %d", res.Status)
		}
		// Open routes treat the held coordinator as nobody in particular: no drafts.
		draft := catalog.CourseInput{Code: "DR-101", Title: "Draft", Discipline: "border_security", Level: "basic", Delivery: "in_person",
			DurationHours: 8, Languages: []string{"en"}}
		if _, err := env.App.Courses.Create(context.Background(), env.Users["a/coordinator"].Actor("192.0.2.1"), draft); err != nil {
			t.Fatal(err)
		}
		if res := c.Do("GET", "/api/v1/courses/DR-101", nil); res.Status != 404 {
			t.Fatalf("a held session reads a draft course: %d", res.Status)
		}
		res = c.Do("POST", "/api/v1/me/mfa/totp", nil)
		var setup struct {
			Secret string `json:"secret"`
			URL    string `json:"otpauth_url"`
		}
		res.JSON(&setup)
		if res.Status != 200 || !strings.HasPrefix(setup.URL, "otpauth://totp/") || !strings.Contains(setup.URL, "secret="+setup.Secret) {
			t.Fatalf("begin: %d %s", res.Status, res.Body)
		}
		res = c.Do("POST", "/api/v1/me/mfa/totp/confirm", map[string]string{"code": totpNow(t, setup.Secret, env.Clock.Now())})
		var confirmed struct {
			Codes []string `json:"recovery_codes"`
			CSRF  string   `json:"csrf_token"`
		}
		res.JSON(&confirmed)
		if res.Status != 200 || len(confirmed.Codes) != 10 || confirmed.CSRF == "" || confirmed.CSRF == first.CSRF {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		c.CSRF = first.CSRF
		if res := c.Do("POST", "/api/v1/me/mfa/totp", nil); res.Status != 403 || res.Map()["code"] != "csrf_failed" {
			t.Fatalf("the old CSRF token still works after the rotation: %d %s", res.Status, res.Body)
		}
		c.CSRF = confirmed.CSRF
		if res := c.Do("GET", "/api/v1/users", nil); res.Status != 200 {
			t.Fatalf("after set-up, the user list: %d %s", res.Status, res.Body)
		}

		// The next sign-in takes two steps; the half-open session signs nobody in.
		env.Clock.Advance(time.Minute)
		d := env.Anonymous()
		res = d.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": webtest.Password})
		if m := res.Map(); res.Status != 200 || m["mfa_required"] != true || m["user"] != nil || m["csrf_token"] != nil {
			t.Fatalf("password step: %d %s", res.Status, res.Body)
		}
		if res := d.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
			t.Fatalf("half-open session reads /me: %d", res.Status)
		}
		if res := d.Do("POST", "/api/v1/auth/mfa", map[string]string{"code": "000000"}); res.Status != 401 || res.Map()["code"] != "mfa_invalid" {
			t.Fatalf("wrong code: %d %s", res.Status, res.Body)
		}
		res = d.Do("POST", "/api/v1/auth/mfa", map[string]string{"code": totpNow(t, setup.Secret, env.Clock.Now())})
		if m := res.Map(); res.Status != 200 || m["csrf_token"] == nil || m["user"] == nil {
			t.Fatalf("code step: %d %s", res.Status, res.Body)
		}
		// The same code again, on a third sign-in, is refused: each is accepted once.
		e := env.Anonymous()
		e.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": webtest.Password})
		if res := e.Do("POST", "/api/v1/auth/mfa", map[string]string{"code": totpNow(t, setup.Secret, env.Clock.Now())}); res.Status != 401 {
			t.Fatalf("replayed code: %d", res.Status)
		}
		// A recovery code signs in once.
		if res := e.Do("POST", "/api/v1/auth/mfa", map[string]string{"recovery_code": confirmed.Codes[0]}); res.Status != 200 {
			t.Fatalf("recovery code: %d %s", res.Status, res.Body)
		}
	})
}

// TestForcedPasswordChangeComesBeforeTheSecondFactor: a coordinator given a
// password by someone else changes it first, then sets up the factor.
func TestForcedPasswordChangeComesBeforeTheSecondFactor(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	admin := env.As("a/agency_admin")
	res := admin.Do("POST", "/api/v1/users", map[string]any{"email": "newcoord@a.example", "full_name": "New Coordinator",
		"roles": []string{"coordinator"}, "password": "handed over in person"})
	if res.Status != 201 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	c := env.Anonymous()
	res = c.Do("POST", "/api/v1/auth/login", map[string]string{"email": "newcoord@a.example", "password": "handed over in person"})
	c.CSRF, _ = res.Map()["csrf_token"].(string)
	if res := c.Do("POST", "/api/v1/me/mfa/totp", nil); res.Status != 403 || res.Map()["code"] != "password_change_required" {
		t.Fatalf("set-up before the password change: %d %s", res.Status, res.Body)
	}
	res = c.Do("POST", "/api/v1/me/password", map[string]string{"current_password": "handed over in person", "new_password": "now my own passphrase"})
	if res.Status != 200 {
		t.Fatalf("change: %d %s", res.Status, res.Body)
	}
	c.CSRF, _ = res.Map()["csrf_token"].(string)
	if res := c.Do("GET", "/api/v1/audit-events", nil); res.Status != 403 || res.Map()["code"] != "mfa_setup_required" {
		t.Fatalf("after the change, before the factor: %d %s", res.Status, res.Body)
	}
	c.SetUpSecondFactor("newcoord@a.example")
	if res := c.Do("GET", "/api/v1/audit-events", nil); res.Status != 200 {
		t.Fatalf("after both: %d %s", res.Status, res.Body)
	}
}

// TestReviewEscalationsOverHTTP replays the review's requests: hr giving
// itself coordinator, then creating a coordinator with its own password.
func TestReviewEscalationsOverHTTP(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	hr := env.As("a/hr")
	id := env.Users["a/hr"].ID
	if res := hr.Do("PATCH", "/api/v1/users/"+id, map[string]any{"roles": []string{"hr", "coordinator"}}); res.Status != 422 {
		t.Fatalf("hr grants itself coordinator: %d %s", res.Status, res.Body)
	}
	res := hr.Do("POST", "/api/v1/users", map[string]any{"email": "mine@a.example", "full_name": "Mine", "roles": []string{"coordinator"}, "password": "chosen by the hr officer"})
	if res.Status != 422 {
		t.Fatalf("hr creates a coordinator: %d %s", res.Status, res.Body)
	}
	csv := "email,full_name,roles\n" + env.Users["a/agency_admin"].Email + ",Renamed,trainee\n"
	res = env.As("a/coordinator").Do("POST", "/api/v1/users/import", csv, "Content-Type", "text/csv")
	if res.Status != 422 {
		t.Fatalf("coordinator's import demotes the agency admin: %d %s", res.Status, res.Body)
	}
	// The dry run explains each refused row, in the caller's language.
	res = env.As("a/coordinator").Do("POST", "/api/v1/users/import?dry_run=1", csv, "Content-Type", "text/csv")
	var plan struct {
		Rows []struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		} `json:"rows"`
		Failed int `json:"failed"`
	}
	if err := json.Unmarshal(res.Body, &plan); err != nil || plan.Failed != 1 || len(plan.Rows[0].Errors) == 0 ||
		!strings.Contains(plan.Rows[0].Errors[0].Message, "cannot grant") {
		t.Fatalf("dry run: %d %s", res.Status, res.Body)
	}
}

// TestTokensNeedASecondFactorAndMayBeReadOnly: a session without a second
// factor cannot make tokens; a read-only token cannot write.
func TestTokensNeedASecondFactorAndMayBeReadOnly(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	trainee := env.As("a/trainee")
	body := map[string]any{"name": "script", "expires_at": env.Clock.Now().Add(48 * time.Hour)}
	if res := trainee.Do("POST", "/api/v1/tokens", body); res.Status != 403 || res.Map()["code"] != "mfa_required" {
		t.Fatalf("token without a second factor: %d %s", res.Status, res.Body)
	}
	hr := env.As("a/hr")
	body["read_only"] = true
	res := hr.Do("POST", "/api/v1/tokens", body)
	if res.Status != 201 {
		t.Fatalf("read-only token: %d %s", res.Status, res.Body)
	}
	api := env.Anonymous()
	api.Token = res.Map()["token"].(string)
	if res := api.Do("GET", "/api/v1/users", nil); res.Status != 200 {
		t.Fatalf("read-only token reads: %d", res.Status)
	}
	if res := api.Do("PATCH", "/api/v1/users/"+env.Users["a/trainee"].ID, map[string]string{"rank": "x"}); res.Status != 403 {
		t.Fatalf("read-only token writes: %d %s", res.Status, res.Body)
	}
	// No token mints another, read-only or not.
	delete(body, "read_only")
	res = hr.Do("POST", "/api/v1/tokens", body)
	full := env.Anonymous()
	full.Token = res.Map()["token"].(string)
	if res := full.Do("POST", "/api/v1/tokens", body); res.Status != 403 {
		t.Fatalf("a token made a token: %d %s", res.Status, res.Body)
	}
	// Personal answers are never stored by caches.
	if res := hr.Do("GET", "/api/v1/me", nil); res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}
}

// TestPasswordResetByLink: 202 whatever the address; the e-mailed link sets
// a password once.
func TestPasswordResetByLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		anon := env.Anonymous()
		for _, email := range []string{"nobody@a.example", env.Users["a/trainee"].Email} {
			if res := anon.Do("POST", "/api/v1/auth/password-reset", map[string]string{"email": email}); res.Status != http.StatusAccepted {
				t.Fatalf("reset for %s: %d", email, res.Status)
			}
		}
		var queued []notify.Notification
		gdb.Where("kind = ?", notify.KindPasswordReset).Find(&queued)
		if len(queued) != 1 || queued[0].UserID != env.Users["a/trainee"].ID {
			t.Fatalf("queued reset mails: %+v", queued)
		}
		var data struct {
			Token string `json:"token"`
		}
		_ = json.Unmarshal([]byte(queued[0].Data), &data)
		confirm := map[string]string{"token": data.Token, "new_password": "short"}
		if res := anon.Do("POST", "/api/v1/auth/password-reset/confirm", confirm); res.Status != 422 {
			t.Fatalf("weak password through the link: %d", res.Status)
		}
		confirm["new_password"] = "a fresh passphrase of mine"
		if res := anon.Do("POST", "/api/v1/auth/password-reset/confirm", confirm); res.Status != http.StatusNoContent {
			t.Fatalf("confirm: %d %s", res.Status, res.Body)
		}
		if res := anon.Do("POST", "/api/v1/auth/password-reset/confirm", confirm); res.Status != 422 {
			t.Fatalf("the link worked twice: %d", res.Status)
		}
		env.Anonymous().Login(env.Users["a/trainee"].Email, "a fresh passphrase of mine")
	})
}
