package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaults(t *testing.T) {
	c, err := LoadFrom(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "muster.db" || c.LogFormat != "text" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestWrongValueNamesTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, want string }{
		{"MUSTER_LOG_FORMAT=xml", "MUSTER_LOG_FORMAT"},
		{"MUSTER_LOG_LEVEL=loud", "MUSTER_LOG_LEVEL"},
		{"MUSTER_BASE_URL=localhost", "MUSTER_BASE_URL"},
		{"MUSTER_SESSION_IDLE_TIMEOUT=soon", "MUSTER_SESSION_IDLE_TIMEOUT"},
		{"MUSTER_DB_MAX_OPEN_CONNS=0", "MUSTER_DB_MAX_OPEN_CONNS"},
	} {
		_, err := LoadFrom([]string{tc.env})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v does not name %s", tc.env, err, tc.want)
		}
	}
}

func TestFileForm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dsn")
	if err := os.WriteFile(path, []byte("postgres://u:secret@db/muster\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFrom([]string{"DATABASE_URL_FILE=" + path})
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://u:secret@db/muster" {
		t.Fatalf("DatabaseURL = %q", c.DatabaseURL)
	}
	// The plain variable wins over the file form.
	c, _ = LoadFrom([]string{"DATABASE_URL_FILE=" + path, "DATABASE_URL=x.db"})
	if c.DatabaseURL != "x.db" {
		t.Fatalf("DatabaseURL = %q", c.DatabaseURL)
	}
	if _, err := LoadFrom([]string{"MUSTER_ADDR_FILE=/does/not/exist"}); err == nil || !strings.Contains(err.Error(), "MUSTER_ADDR_FILE") {
		t.Fatalf("missing file: %v", err)
	}
}

func TestVariablesListed(t *testing.T) {
	vars := Variables()
	if len(vars) < 10 || vars[0].Name != "MUSTER_ADDR" {
		t.Fatalf("Variables() = %+v", vars)
	}
	for _, v := range vars {
		if v.Name == "" || v.Help == "" {
			t.Errorf("variable without name or help: %+v", v)
		}
	}
}

func TestSecondFactorRoles(t *testing.T) {
	c, err := LoadFrom(nil)
	if err != nil || strings.Join(c.MFARequiredRoles, ",") != "admin,agency_admin,coordinator,hr" {
		t.Fatalf("default: %v %v", c.MFARequiredRoles, err)
	}
	if c, err = LoadFrom([]string{"MUSTER_MFA_REQUIRED_ROLES=none"}); err != nil || len(c.MFARequiredRoles) != 0 {
		t.Fatalf("none: %v %v", c.MFARequiredRoles, err)
	}
	if _, err = LoadFrom([]string{"MUSTER_MFA_REQUIRED_ROLES=admin,general"}); err == nil || !strings.Contains(err.Error(), "MUSTER_MFA_REQUIRED_ROLES") {
		t.Fatalf("unknown role: %v", err)
	}
}
