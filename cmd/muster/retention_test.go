package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/testworld"
)

// TestRetentionAndPseudonymiseCommands runs muster retention run and
// muster user pseudonymise as an operator would.
func TestRetentionAndPseudonymiseCommands(t *testing.T) {
	ctx := context.Background()
	url := filepath.Join(t.TempDir(), "muster.db")
	w := testworld.New(t, dbtest.Open(t, url))
	agency := w.Agency("RC", "TJ")
	person := w.User(agency, "Leaving Officer")
	disabled := true
	if _, err := w.App.Identity.UpdateUser(ctx, w.Admin, person.ID, identity.UserPatch{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", url)
	var out bytes.Buffer
	if err := runRetention(ctx, []string{"run"}); err != nil {
		t.Fatal(err)
	}
	if err := userPseudonymise(ctx, []string{"--id", person.ID}, &out); err != nil || !strings.Contains(out.String(), identity.PseudonymName) {
		t.Fatalf("pseudonymise: %v %s", err, out.String())
	}
	active := w.User(agency, "Still Serving", access.Trainee)
	if err := userPseudonymise(ctx, []string{"--id", active.ID}, &out); err == nil || !strings.Contains(err.Error(), "disable") {
		t.Fatalf("pseudonymising an active person: %v", err)
	}
}
