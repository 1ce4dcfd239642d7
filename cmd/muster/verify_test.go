package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// TestVerifyCommand writes credentials, the issuer's key document and a
// revocation list to files, as a foreign system would save them, and checks
// them with `muster verify`.
func TestVerifyCommand(t *testing.T) {
	gdb := dbtest.SQLite(t)
	f := exporttest.Seed(t, gdb, exporttest.Agency(t, gdb, "PDC", "IR"), exporttest.Agency(t, gdb, "DCA", "TJ"))
	svc := &certify.Service{DB: gdb, Clock: clock.NewFixed(exporttest.Today), BaseURL: exporttest.BaseURL}
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, v any) string {
		t.Helper()
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	credential := func(name string) string {
		t.Helper()
		c, err := svc.Credential(ctx, access.System(), f.Certificates[name].Number)
		if err != nil {
			t.Fatal(err)
		}
		return write(name+".vc.json", c)
	}
	doc, err := svc.IssuerDocument(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys := write("issuer.json", doc)
	list2025, err := svc.RevocationList(ctx, 2025)
	if err != nil {
		t.Fatal(err)
	}
	list := write("revocation-2025.json", list2025)
	valid, revoked, expired := credential("C1"), credential("C4"), credential("C5") // C4 was revoked, C5 expires on Today
	forged := filepath.Join(dir, "forged.vc.json")
	b, _ := os.ReadFile(valid)
	if err := os.WriteFile(forged, bytes.Replace(b, []byte("2028-01-10T"), []byte("2029-01-10T"), 1), 0o600); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := verifyCredential(ctx, []string{valid, "--issuer-key", keys, "--status-list", list, "--at", "2026-03-21"}, &out); err != nil {
		t.Fatalf("valid credential: %v", err)
	}
	if !strings.HasPrefix(out.String(), "valid\n") || !strings.Contains(out.String(), "not revoked, per the list of 2026-03-21T10:00:00Z") ||
		!strings.Contains(out.String(), exporttest.PersianName) {
		t.Fatalf("output:\n%s", out.String())
	}
	cases := []struct {
		name string
		args []string
		want string // the start of the error; "" for valid
	}{
		{"flags first, today, no list", []string{"--issuer-key", keys, revoked}, ""},
		{"changed date", []string{"--issuer-key", keys, forged, "--at", "2026-03-21"}, "signature invalid"},
		{"revoked", []string{"--issuer-key", keys, "--status-list", list, revoked}, "revoked"},
		{"expired", []string{"--issuer-key", keys, expired, "--at", "2026-03-21"}, "expired"},
		{"still valid the day before", []string{"--issuer-key", keys, expired, "--at", "2026-03-20"}, ""},
		{"not yet valid", []string{"--issuer-key", keys, valid, "--at", "2025-01-09"}, "not yet valid"},
		{"a list that is not a revocation list", []string{"--issuer-key", keys, "--status-list", keys, valid, "--at", "2026-03-21"}, "status list: signature invalid"},
		{"keys given as a credential", []string{"--issuer-key", valid, valid}, "issuer DID document"},
		{"no keys", []string{valid}, "give --issuer-key: the issuer's DID document, published at https://muster.example/.well-known/did.json"},
		{"no file", []string{"--issuer-key", keys}, "give one credential file"},
		{"missing file", []string{"--issuer-key", keys, filepath.Join(dir, "absent.json")}, "open"},
	}
	for _, c := range cases {
		err := runVerify(ctx, c.args)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v, want valid", c.name, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}

	// The key document may also be fetched from the issuer.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != certify.WellKnownDIDPath {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, keys)
	}))
	defer srv.Close()
	if err := runVerify(ctx, []string{"--issuer-key", srv.URL + certify.WellKnownDIDPath, valid, "--at", "2026-03-21"}); err != nil {
		t.Errorf("key document by URL: %v", err)
	}
	if err := runVerify(ctx, []string{"--issuer-key", srv.URL + "/elsewhere", valid}); err == nil || !strings.Contains(err.Error(), "answered 404") {
		t.Errorf("key document not found: %v", err)
	}
}
