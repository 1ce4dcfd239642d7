package config

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want []string // substrings, one per expected warning, in order
	}{
		{nil, nil}, // the default: SQLite and http://localhost
		{[]string{"DATABASE_URL=postgres://u:pw@db.internal:5432/muster?sslmode=disable"}, []string{"PostgreSQL at db.internal with sslmode=disable"}},
		{[]string{"DATABASE_URL=postgresql://u@10.1.2.3/muster?sslmode=allow"}, []string{"10.1.2.3 with sslmode=allow"}},
		{[]string{"DATABASE_URL=postgres://u@db.example.org/muster?sslmode=prefer"}, []string{"sslmode=prefer"}},
		{[]string{"DATABASE_URL=postgres://u@db.example.org/muster"}, []string{"sslmode=prefer (unset)"}},
		{[]string{"DATABASE_URL=postgres://u@db.example.org/muster?sslmode=require"}, nil},
		{[]string{"DATABASE_URL=postgres://u@db.example.org/muster?sslmode=verify-full"}, nil},
		{[]string{"DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"}, nil},
		{[]string{"DATABASE_URL=postgres://postgres@localhost/postgres?sslmode=disable"}, nil},
		{[]string{"DATABASE_URL=postgres://postgres@[::1]:5432/postgres?sslmode=disable"}, nil},
		{[]string{"DATABASE_URL=postgres:///muster?host=/var/run/postgresql&sslmode=disable"}, nil},
		{[]string{"DATABASE_URL=postgres://u@/muster?host=db.internal&sslmode=disable"}, []string{"db.internal with sslmode=disable"}},
		{[]string{"MUSTER_BASE_URL=http://training.example.org"}, []string{"MUSTER_BASE_URL is http://training.example.org"}},
		{[]string{"MUSTER_BASE_URL=http://10.0.0.5:8080"}, []string{"http://10.0.0.5:8080"}},
		{[]string{"MUSTER_BASE_URL=https://training.example.org"}, nil},
		{[]string{"MUSTER_BASE_URL=http://127.0.0.1:8080"}, nil},
		{[]string{"MUSTER_BASE_URL=http://muster.localhost:8080"}, nil},
		{[]string{"MUSTER_BASE_URL=http://training.example.org", "DATABASE_URL=postgres://u@db/muster?sslmode=disable"},
			[]string{"PostgreSQL at db ", "MUSTER_BASE_URL is http://"}},
	} {
		c, err := LoadFrom(tc.env)
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		got := c.Warnings()
		if len(got) != len(tc.want) {
			t.Errorf("%v: warnings %q, want %d", tc.env, got, len(tc.want))
			continue
		}
		for i, w := range tc.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%v: warning %q, want it to contain %q", tc.env, got[i], w)
			}
		}
		for _, w := range got {
			if strings.Contains(w, "pw") {
				t.Errorf("warning reveals the password: %q", w)
			}
		}
	}
}

func TestSecretKeySetting(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadFrom([]string{"MUSTER_SECRET_KEY_FILE=" + path})
	if err != nil || c.SecretKey != key {
		t.Fatalf("from a file: %q %v", c.SecretKey, err)
	}
	for _, bad := range []string{"short", base64.StdEncoding.EncodeToString(make([]byte, 16)), "not base64 at all!"} {
		if _, err := LoadFrom([]string{"MUSTER_SECRET_KEY=" + bad}); err == nil || !strings.Contains(err.Error(), "MUSTER_SECRET_KEY") {
			t.Errorf("%q: %v, want an error naming MUSTER_SECRET_KEY", bad, err)
		} else if strings.Contains(err.Error(), bad) {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}
