package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
)

// TestBackupRestoreCommands runs the README's commands: muster backup on a
// migrated database, muster restore into an empty one (refused into one that
// has tables), and muster audit verify on the restored copy.
func TestBackupRestoreCommands(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "muster.db") }}, {"postgres", dbtest.PostgresDatabaseURL}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			src := tc.url(t)
			dbtest.Open(t, src)
			t.Setenv("DATABASE_URL", src)
			file := filepath.Join(t.TempDir(), "muster-backup")
			var out bytes.Buffer
			if err := backup(ctx, []string{"--out", file}, &out); err != nil || !strings.Contains(out.String(), "backed up") {
				t.Fatalf("backup: %v %s", err, out.String())
			}
			if err := restore(ctx, []string{file}, &out); err == nil || !strings.Contains(err.Error(), "empty") {
				t.Fatalf("restore over the source: %v", err)
			}
			t.Setenv("DATABASE_URL", tc.url(t))
			out.Reset()
			if err := restore(ctx, []string{file}, &out); err != nil || !strings.Contains(out.String(), "restored") {
				t.Fatalf("restore: %v %s", err, out.String())
			}
			out.Reset()
			if err := auditVerify(ctx, nil, &out); err != nil || !strings.Contains(out.String(), "intact: 1 events") {
				t.Fatalf("verify the restored copy: %v\n%s", err, out.String())
			}
		})
	}
}
