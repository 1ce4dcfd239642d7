package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestMePreferences: a person sets their own language, time zone and
// calendar; without a zone of their own they see their agency's; a zone
// the database does not know is refused on its field; the change is audited.
func TestMePreferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		admin := env.As("a/admin")
		want(t, admin.Do("PATCH", "/api/v1/agencies/"+env.Agencies["b"].ID, map[string]any{"time_zone": "Asia/Dushanbe"}), http.StatusOK, "")
		me := env.As("b/trainee")
		got := want(t, me.Do("GET", "/api/v1/me", nil), http.StatusOK, "")
		if got["time_zone"] != "Asia/Dushanbe" || got["own_time_zone"] != false {
			t.Fatalf("agency's zone not inherited: %v", got)
		}
		got = want(t, me.Do("PATCH", "/api/v1/me", map[string]any{"language": "fa", "time_zone": "Asia/Tehran", "calendar": "gregorian"}), http.StatusOK, "")
		if got["time_zone"] != "Asia/Tehran" || got["language"] != "fa" || got["calendar"] != "gregorian" || got["own_time_zone"] != true {
			t.Fatalf("preferences not set: %v", got)
		}
		res := me.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "Mars/Olympus"})
		p := want(t, res, http.StatusUnprocessableEntity, apperr.CodeInvalid)
		if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "time_zone" {
			t.Fatalf("unknown zone: %s", res.Body)
		}
		want(t, me.Do("PATCH", "/api/v1/me", map[string]any{"role": "admin"}), http.StatusUnprocessableEntity, apperr.CodeInvalid)
		// Back to the agency's zone.
		got = want(t, me.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": ""}), http.StatusOK, "")
		if got["time_zone"] != "Asia/Dushanbe" {
			t.Fatalf("zone not reset: %v", got)
		}
		var n int64
		if err := gdb.Table("audit_events").Where("action = ? AND subject_id = ?", "user.preferences", env.Users["b/trainee"].ID).Count(&n).Error; err != nil || n != 2 {
			t.Fatalf("%d preference events (%v), want 2", n, err)
		}
	})
}

// TestNamesInTheRequestsLanguage: agencies and venues answer name in the
// reader's language when they have one, the default otherwise, and names
// in full; a name in a language muster does not speak is refused.
func TestNamesInTheRequestsLanguage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	admin := env.As("a/admin")
	id := env.Agencies["a"].ID
	want(t, admin.Do("PATCH", "/api/v1/agencies/"+id, map[string]any{"names": map[string]string{"fa": "پلیس الف", "ru": "Полиция А"}}), http.StatusOK, "")
	want(t, admin.Do("PATCH", "/api/v1/agencies/"+id, map[string]any{"names": map[string]string{"de": "Polizei A"}}), http.StatusUnprocessableEntity, apperr.CodeInvalid)
	for lang, name := range map[string]string{"fa": "پلیس الف", "ru": "Полиция А", "tg": "Agency a", "en": "Agency a"} {
		c := env.Anonymous()
		c.Login(env.Users["b/trainee"].Email, webtest.Password)
		res := c.Do("GET", "/api/v1/agencies/"+id, nil, "Accept-Language", lang)
		got := want(t, res, http.StatusOK, "")
		if lang == "en" && got["name"] != name { // the trainee's stored language is English
			t.Fatalf("%s: name %v", lang, got["name"])
		}
		if names, _ := got["names"].(map[string]any); names["fa"] != "پلیس الف" {
			t.Fatalf("names not answered: %s", res.Body)
		}
	}
	// The signed-in person's language decides, whatever the header says.
	fa := "fa"
	if _, err := env.App.Identity.SetPreferences(t.Context(), env.Users["a/coordinator"].Actor("192.0.2.1"), identity.Preferences{Language: &fa}); err != nil {
		t.Fatal(err)
	}
	coord := env.As("a/coordinator")
	list := want(t, coord.Do("GET", "/api/v1/agencies", nil, "Accept-Language", "en"), http.StatusOK, "")
	if !strings.Contains(fmt.Sprint(list["items"]), "name:پلیس الف") {
		t.Fatalf("list in Persian: %v", list)
	}
	// Venues likewise.
	v := want(t, coord.Do("POST", "/api/v1/venues", map[string]any{"name": "Academy", "country": "IR", "capacity": 30, "time_zone": "Asia/Tehran",
		"names": map[string]string{"fa": "آکادمی"}}), http.StatusCreated, "")
	if v["name"] != "آکادمی" || v["names"].(map[string]any)["fa"] != "آکادمی" {
		t.Fatalf("venue answered %v", v)
	}
	en := env.As("b/coordinator")
	if got := want(t, en.Do("GET", "/api/v1/venues/"+v["id"].(string), nil), http.StatusOK, ""); got["name"] != "Academy" {
		t.Fatalf("venue in English: %v", got)
	}
}
