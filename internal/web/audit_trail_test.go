package web_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// auditEvents returns the events of action by the user at key, oldest first.
func auditEvents(t *testing.T, env *webtest.Env, action, key string) []audit.Event {
	t.Helper()
	var evs []audit.Event
	q := env.App.DB.Where("action = ?", action).Order("id")
	if key != "" {
		q = q.Where("actor_id = ?", env.Users[key].ID)
	}
	if err := q.Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestRefusedAccessIsAudited: a personal record outside the caller's scope
// answers 404 (or 403 by role) and leaves an access.denied event naming the
// route and the record; an unknown URL and an anonymous caller leave none.
func TestRefusedAccessIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		sc := newCertifyScene(t, env, "b")
		number := sc.certificate.Number
		for _, tc := range []struct {
			key, path, subjectType, subject, route string
			status                                 int
		}{
			{"a/coordinator", "/api/v1/certificates/" + number, "certificate", number, "GET /api/v1/certificates/:number", 404},
			{"a/hr", "/api/v1/users/" + env.Users["b/trainee"].ID, "user", env.Users["b/trainee"].ID, "GET /api/v1/users/:id", 404},
			{"a/hr", "/transcripts/" + env.Users["b/trainee"].ID, "transcript", env.Users["b/trainee"].ID, "GET /transcripts/:id", 404},
			{"a/trainee", "/api/v1/audit-events", "audit", "", "GET /api/v1/audit-events", 403},
		} {
			before := len(auditEvents(t, env, audit.ActionAccessDenied, tc.key))
			if res := env.As(tc.key).Do("GET", tc.path, nil); res.Status != tc.status {
				t.Fatalf("%s %s: %d %s", tc.key, tc.path, res.Status, res.Body)
			}
			evs := auditEvents(t, env, audit.ActionAccessDenied, tc.key)
			if len(evs) != before+1 {
				t.Fatalf("%s %s: %d access.denied events, want %d", tc.key, tc.path, len(evs), before+1)
			}
			e := evs[len(evs)-1]
			if e.SubjectType != tc.subjectType || e.SubjectID != tc.subject || !strings.Contains(e.Details, `"route": "`+tc.route+`"`) && !strings.Contains(e.Details, `"route":"`+tc.route+`"`) {
				t.Errorf("%s %s: event %+v", tc.key, tc.path, e)
			}
		}
		all := len(auditEvents(t, env, audit.ActionAccessDenied, ""))
		env.As("a/hr").Do("GET", "/api/v1/no-such-thing/1", nil)
		env.Anonymous().Do("GET", "/api/v1/users/"+env.Users["b/trainee"].ID, nil)
		if res := env.As("b/trainee").Do("GET", "/api/v1/certificates/"+number, nil); res.Status != http.StatusOK {
			t.Fatalf("holder reads own certificate: %d", res.Status)
		}
		if n := len(auditEvents(t, env, audit.ActionAccessDenied, "")); n != all {
			t.Fatalf("unknown URL, anonymous caller or allowed read recorded: %d events, want %d", n, all)
		}
		verifyIntact(t, env)
	})
}

// TestSignOutAndDownloadsAreAudited: signing out through the API and the
// page, and downloading a certificate's credential, PDF and a transcript.
func TestSignOutAndDownloadsAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		sc := newCertifyScene(t, env, "b")
		holder := env.As("b/trainee")
		res := holder.Do("GET", "/api/v1/certificates/"+sc.certificate.Number+".vc.json", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("credential: %d %s", res.Status, res.Body)
		}
		var certID string
		env.App.DB.Table("certificates").Where("number = ?", sc.certificate.Number).Select("id").Scan(&certID)
		evs := auditEvents(t, env, "certificate.download", "b/trainee")
		if len(evs) != 1 || evs[0].SubjectID != certID || !strings.Contains(evs[0].Details, "vc") || evs[0].AgencyID == nil || *evs[0].AgencyID != env.Agencies["b"].ID {
			t.Fatalf("credential download events: %+v", evs)
		}
		if _, err := os.Stat(dbtest.BrowserPath()); err == nil || os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
			if res := holder.Do("GET", "/certificates/"+sc.certificate.Number+".pdf", nil); res.Status != http.StatusOK {
				t.Fatalf("certificate PDF: %d %s", res.Status, res.Body)
			}
			if evs := auditEvents(t, env, "certificate.download", "b/trainee"); len(evs) != 2 || !strings.Contains(evs[1].Details, "pdf") {
				t.Fatalf("PDF download events: %+v", evs)
			}
			hr := env.As("b/hr")
			if res := hr.Do("GET", "/transcripts/"+env.Users["b/trainee"].ID+".pdf", nil); res.Status != http.StatusOK {
				t.Fatalf("transcript PDF: %d %s", res.Status, res.Body)
			}
			if evs := auditEvents(t, env, "transcript.download", "b/hr"); len(evs) != 1 || evs[0].SubjectID != env.Users["b/trainee"].ID {
				t.Fatalf("transcript download events: %+v", evs)
			}
		} else {
			t.Log("no Chromium: PDF downloads not checked")
		}

		if res := holder.Do("POST", "/api/v1/auth/logout", nil); res.Status != http.StatusNoContent {
			t.Fatalf("API sign-out: %d %s", res.Status, res.Body)
		}
		page := env.As("a/coordinator")
		if res := page.Do("POST", "/logout", "", "Content-Type", "application/x-www-form-urlencoded"); res.Status != http.StatusSeeOther {
			t.Fatalf("page sign-out: %d %s", res.Status, res.Body)
		}
		for _, key := range []string{"b/trainee", "a/coordinator"} {
			if evs := auditEvents(t, env, "auth.logout", key); len(evs) != 1 || evs[0].SubjectID != env.Users[key].ID {
				t.Errorf("%s sign-out events: %+v", key, evs)
			}
		}
		verifyIntact(t, env)
	})
}

func verifyIntact(t *testing.T, env *webtest.Env) {
	t.Helper()
	r, err := env.App.Audit.Verify(context.Background())
	if err != nil || r.Break != nil || r.Links == 0 {
		t.Fatalf("audit chain: %+v %v", r, err)
	}
}
