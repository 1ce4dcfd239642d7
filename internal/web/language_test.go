package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestLanguageChoice: a signed-in user's preference beats the cookie and
// Accept-Language; the switcher stores the preference.
func TestLanguageChoice(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	anon := env.Anonymous()
	if res := anon.Do("GET", "/", nil, "Accept-Language", "ru-RU,ru;q=0.9"); !strings.Contains(string(res.Body), `lang="ru"`) {
		t.Fatal("Accept-Language ru not honoured")
	}
	c := env.As("b/trainee")
	res := c.Do("POST", "/lang", "lang=fa&next=/me", "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/me" {
		t.Fatalf("switch: %d %s", res.Status, res.Header.Get("Location"))
	}
	// A fresh sign-in without the cookie still gets Persian: the preference is stored.
	fresh := env.As("b/trainee")
	res = fresh.Do("GET", "/", nil, "Accept-Language", "en")
	if !strings.Contains(string(res.Body), `lang="fa" dir="rtl"`) {
		t.Fatalf("stored preference not used: %.200s", res.Body)
	}
	// A redirect after the switch never leaves the site.
	res = anon.Do("POST", "/lang", "lang=tg&next=//evil.example/x", "Content-Type", "application/x-www-form-urlencoded")
	if res.Header.Get("Location") != "/" {
		t.Fatalf("open redirect: %q", res.Header.Get("Location"))
	}
}
