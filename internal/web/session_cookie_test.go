package web

import (
	"testing"

	"muster/internal/config"
	"muster/internal/identity"
)

// TestSessionCookieIsHostPrefixedOverHTTPS: over https the cookie can only
// be set by this host, for every path, and never travels in clear.
func TestSessionCookieIsHostPrefixedOverHTTPS(t *testing.T) {
	for base, want := range map[string]string{"https://muster.example.org": "__Host-muster_session", "http://localhost:8080": "muster_session"} {
		cfg, err := config.LoadFrom([]string{"MUSTER_BASE_URL=" + base})
		if err != nil {
			t.Fatal(err)
		}
		sm := newSessions(Deps{Config: cfg}, identity.SessionStore{})
		if sm.Cookie.Name != want || sm.Cookie.Path != "/" || sm.Cookie.Domain != "" || sm.Cookie.Secure != (want != "muster_session") {
			t.Errorf("%s: cookie %+v", base, sm.Cookie)
		}
	}
}
