package web_test

import (
	"net/http"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestControlCharactersNeverReachTheDatabase: PostgreSQL refuses NUL in
// text, so input carrying one must be cleaned, not answered with a 500.
func TestControlCharactersNeverReachTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		admin := env.As("a/admin")
		for _, tc := range []struct{ path, body string }{
			{"/api/v1/users", `{"email":"nul@a.example","full_name":"Ali\u0000 Rezaei","rank":"\u0007Major","roles":["trainee"]}`},
			{"/api/v1/agencies", `{"name":"Border\u0000 Guard","short_name":"BG\u0000","country":"af","kind":"border_guard"}`},
			{"/api/v1/courses", `{"code":"nu-101","title":"Null\u0000 course","discipline":"other","level":"basic","delivery":"online","duration_hours":2,"languages":["en"]}`},
		} {
			res := admin.Do("POST", tc.path, tc.body)
			if res.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", tc.path, res.Status, res.Body)
			}
		}
		var name string
		gdb.Table("users").Where("email_key = ?", "nul@a.example").Select("full_name").Scan(&name)
		if name != "Ali Rezaei" {
			t.Fatalf("stored name %q", name)
		}
	})
}
