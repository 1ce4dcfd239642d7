package web_test

import (
	"net/http"
	"testing"
	"time"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

func TestCSRF(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.As("a/admin")
	body := map[string]string{"name": "New agency", "short_name": "NEW", "country": "AF", "kind": "police"}

	token := c.CSRF
	c.CSRF = ""
	if res := c.Do("POST", "/api/v1/agencies", body); res.Status != http.StatusForbidden || res.Map()["code"] != "csrf_failed" {
		t.Fatalf("cookie call without token: %d %s", res.Status, res.Body)
	}
	c.CSRF = "forged"
	if res := c.Do("POST", "/api/v1/agencies", body); res.Status != http.StatusForbidden {
		t.Fatalf("cookie call with a wrong token: %d", res.Status)
	}
	c.CSRF = token
	// A cross-site request is refused even with the right token.
	if res := c.Do("POST", "/api/v1/agencies", body, "Sec-Fetch-Site", "cross-site"); res.Status != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d %s", res.Status, res.Body)
	}
	if res := c.Do("POST", "/api/v1/agencies", body, "Origin", "https://evil.example"); res.Status != http.StatusForbidden {
		t.Fatalf("foreign Origin POST: %d %s", res.Status, res.Body)
	}
	if res := c.Do("POST", "/api/v1/agencies", body); res.Status != http.StatusCreated {
		t.Fatalf("with token: %d %s", res.Status, res.Body)
	}
	// A page form without the token is refused too.
	form := env.As("a/admin")
	form.CSRF = ""
	res := form.Do("POST", "/manage/agencies", "name=x", "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusForbidden {
		t.Fatalf("form without token: %d", res.Status)
	}
}

func TestBearerTokens(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	hr := env.As("b/hr")
	res := hr.Do("POST", "/api/v1/tokens", map[string]any{"name": "HR system", "expires_at": env.Clock.Now().Add(48 * time.Hour)})
	if res.Status != http.StatusCreated {
		t.Fatalf("create token: %d %s", res.Status, res.Body)
	}
	created := res.Map()
	api := env.Anonymous()
	api.Token = created["token"].(string)
	if res := api.Do("GET", "/api/v1/me", nil); res.Status != 200 || res.Map()["email"] != "hr@b.example" {
		t.Fatalf("bearer /me: %d %s", res.Status, res.Body)
	}
	// Bearer calls need no CSRF token, and act in the owner's scope only.
	if res := api.Do("GET", "/api/v1/users/"+env.Users["a/trainee"].ID, nil); res.Status != 404 {
		t.Fatalf("other agency's user through a token: %d", res.Status)
	}
	if res := api.Do("PATCH", "/api/v1/users/"+env.Users["b/trainee"].ID, map[string]string{"rank": "captain"}); res.Status != 200 {
		t.Fatalf("bearer PATCH: %d %s", res.Status, res.Body)
	}
	if res := hr.Do("GET", "/api/v1/tokens", nil); res.Status != 200 || res.Map()["total"] != float64(1) {
		t.Fatalf("list tokens: %s", res.Body)
	}
	if res := hr.Do("DELETE", "/api/v1/tokens/"+created["id"].(string), nil); res.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d", res.Status)
	}
	if res := api.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", res.Status)
	}
	api.Token = "mst_not-a-real-token"
	if res := api.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("bad token: %d", res.Status)
	}
}

func TestSessionTimeouts(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.As("a/trainee")
	// Active every 20 minutes: the idle timeout never fires...
	for i := 0; i < 5; i++ {
		env.Clock.Advance(20 * time.Minute)
		if res := c.Do("GET", "/api/v1/me", nil); res.Status != 200 {
			t.Fatalf("request %d after 20 idle minutes: %d", i, res.Status)
		}
	}
	// ...but 31 idle minutes end the session.
	env.Clock.Advance(31 * time.Minute)
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("after 31 idle minutes: %d", res.Status)
	}
	// The absolute lifetime ends even an active session.
	c = env.As("a/trainee")
	for elapsed := time.Duration(0); elapsed < 12*time.Hour; elapsed += 25 * time.Minute {
		env.Clock.Advance(25 * time.Minute)
		res := c.Do("GET", "/api/v1/me", nil)
		if elapsed+25*time.Minute <= 12*time.Hour && res.Status != 200 {
			t.Fatalf("active session ended after %s", elapsed)
		}
	}
	env.Clock.Advance(25 * time.Minute)
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("after 12 hours: %d", res.Status)
	}
}

func TestPasswordChangeEndsOtherSessionsAndIsForcedWhenSetByOthers(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	admin := env.As("a/admin")
	first, second := env.As("a/trainee"), env.As("a/trainee")
	res := first.Do("POST", "/api/v1/me/password", map[string]string{"current_password": webtest.Password, "new_password": "a brand new passphrase"})
	if res.Status != 200 {
		t.Fatalf("change: %d %s", res.Status, res.Body)
	}
	first.CSRF = res.Map()["csrf_token"].(string)
	if res := first.Do("GET", "/api/v1/me", nil); res.Status != 200 {
		t.Fatalf("the changing session was ended: %d", res.Status)
	}
	if res := second.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("the other session survived: %d", res.Status)
	}
	// A user given a password by someone else must change it first.
	initial := "chosen by the administrator"
	res = admin.Do("POST", "/api/v1/users", map[string]any{"email": "new@a.example", "full_name": "New", "roles": []string{"trainee"}, "password": initial})
	if res.Status != 201 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	newbie := env.Anonymous()
	newbie.Login("new@a.example", initial)
	if res := newbie.Do("GET", "/api/v1/me", nil); res.Status != 403 || res.Map()["code"] != "password_change_required" {
		t.Fatalf("before changing: %d %s", res.Status, res.Body)
	}
	if res := newbie.Do("POST", "/api/v1/me/password", map[string]string{"current_password": initial, "new_password": "my very own passphrase"}); res.Status != 200 {
		t.Fatalf("forced change: %d %s", res.Status, res.Body)
	}
}

func TestDisablingEndsSessions(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	victim := env.As("b/trainee")
	coord := env.As("b/coordinator")
	if res := coord.Do("PATCH", "/api/v1/users/"+env.Users["b/trainee"].ID, map[string]bool{"disabled": true}); res.Status != 200 {
		t.Fatalf("disable: %d %s", res.Status, res.Body)
	}
	if res := victim.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("disabled user's session: %d", res.Status)
	}
}

// TestSessionSharedBetweenInstances signs in on one server and uses the
// session on another that shares the PostgreSQL database.
func TestSessionSharedBetweenInstances(t *testing.T) {
	url := dbtest.PostgresURL(t)
	one := webtest.Start(t, dbtest.Open(t, url))
	two := webtest.Serve(t, dbtest.Open(t, url), one.Clock)
	c := one.As("a/coordinator")
	two.Users = one.Users
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != 200 {
		t.Fatal(res.Status)
	}
	// Same cookie jar, other server.
	c2 := two.Anonymous()
	c2.HTTP.Jar = c.HTTP.Jar
	c2.CSRF = c.CSRF
	jarFor(t, c, one.URL, two.URL)
	if res := c2.Do("GET", "/api/v1/me", nil); res.Status != 200 || res.Map()["email"] != "coordinator@a.example" {
		t.Fatalf("on the second instance: %d %s", res.Status, res.Body)
	}
	if res := c2.Do("POST", "/api/v1/auth/logout", nil); res.Status != http.StatusNoContent {
		t.Fatalf("logout on the second: %d", res.Status)
	}
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != http.StatusUnauthorized {
		t.Fatalf("session alive on the first after logout on the second: %d", res.Status)
	}
}

// jarFor copies the session cookie of one server's URL to another's.
func jarFor(t *testing.T, c *webtest.Client, from, to string) {
	t.Helper()
	fu, _ := parse(from)
	tu, _ := parse(to)
	c.HTTP.Jar.SetCookies(tu, c.HTTP.Jar.Cookies(fu))
}

// TestQuietRequestsDoNotRewriteTheSession: within a minute of the last
// refresh, a request reads its session without writing it back.
func TestQuietRequestsDoNotRewriteTheSession(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.As("a/trainee")
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != 200 || res.Header.Get("Set-Cookie") != "" {
		t.Fatalf("quiet request rewrote the session: %d %q", res.Status, res.Header.Get("Set-Cookie"))
	}
	env.Clock.Advance(2 * time.Minute)
	if res := c.Do("GET", "/api/v1/me", nil); res.Status != 200 || res.Header.Get("Set-Cookie") == "" {
		t.Fatalf("idle mark not refreshed after two minutes: %d", res.Status)
	}
}
