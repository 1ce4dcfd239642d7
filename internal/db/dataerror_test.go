package db_test

import (
	"testing"

	"muster/internal/db"
	"muster/internal/db/dbtest"
)

// TestDataError: PostgreSQL's refusals of a value are told apart from other
// failures, so the web layer answers them as client errors.
func TestDataError(t *testing.T) {
	gdb := dbtest.Postgres(t)
	for _, tc := range []struct {
		query, arg, want string
	}{
		{"SELECT ?::uuid", "not-a-uuid", "22P02"},
		{"SELECT ?::text", "a\x00b", "22021"},
		{"SELECT CAST(? AS int)", "99999999999", "22003"},
		{"SELECT * FROM no_such WHERE ? = ''", "", ""},
	} {
		err := gdb.Exec(tc.query, tc.arg).Error
		if got := db.DataError(err); got != tc.want {
			t.Errorf("%s: DataError = %q (err %v), want %q", tc.query, got, err, tc.want)
		}
	}
}
