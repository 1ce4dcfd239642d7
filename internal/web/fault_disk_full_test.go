package web_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestFaultSQLiteDiskFull fills a SQLite database to its limit while a
// coordinator keeps creating courses. SQLite's max_page_count makes the
// database file full as a full disk would (SQLITE_FULL, "database or disk
// is full"), without filling the machine's disk. The answer that does not
// fit is a 503 "unavailable" problem document; every course answered 201
// is stored with its audit event, the refused one left nothing behind,
// reads still work, and the file passes SQLite's integrity check.
func TestFaultSQLiteDiskFull(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "muster.db")
	seeded := webtest.Start(t, dbtest.Open(t, path)) // migrated, with two agencies and their people
	var pages int64
	if err := seeded.App.DB.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	full, err := db.Open(ctx, fmt.Sprintf("%s?_pragma=max_page_count(%d)", path, pages+60), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(full) })
	env := webtest.Serve(t, full, seeded.Clock)
	coord := env.Anonymous()
	coord.Login(seeded.Users["a/coordinator"].Email, webtest.Password)

	var created []string
	var refused *webtest.Response
	for i := 0; refused == nil; i++ {
		if i > 5000 {
			t.Fatal("the database never filled up")
		}
		code := fmt.Sprintf("DF-%03d", i)
		body := fmt.Sprintf(`{"code":%q,"title":"Disk full %d","summary":%q,"discipline":"other","level":"basic","delivery":"online","duration_hours":2,"languages":["en"]}`,
			code, i, strings.Repeat("A summary that fills pages. ", 17))
		res := coord.Do(http.MethodPost, "/api/v1/courses", body)
		switch res.Status {
		case http.StatusCreated:
			created = append(created, code)
		case http.StatusServiceUnavailable:
			refused = res
			if !strings.Contains(string(res.Body), `"code":"unavailable"`) || res.Header.Get("Retry-After") == "" ||
				!strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("a full database answered %s %s", res.Header, res.Body)
			}
			var left int64
			full.Raw("SELECT count(*) FROM courses WHERE code = ?", code).Scan(&left)
			if left != 0 {
				t.Fatalf("the refused course %s was stored", code)
			}
		default:
			t.Fatalf("course %d answered %d %s", i, res.Status, res.Body)
		}
	}
	if len(created) == 0 {
		t.Fatal("no course fitted before the database was full")
	}
	if res := coord.Do(http.MethodGet, "/api/v1/courses?q=DF-&per_page=1", nil); res.Status != http.StatusOK {
		t.Fatalf("reading a full database answered %d %s", res.Status, res.Body)
	}
	var stored, audited int64
	full.Raw("SELECT count(*) FROM courses WHERE code LIKE 'DF-%'").Scan(&stored)
	full.Raw("SELECT count(*) FROM audit_events e JOIN courses c ON CAST(c.id AS TEXT) = e.subject_id WHERE e.action = 'course.create' AND c.code LIKE 'DF-%'").Scan(&audited)
	if stored != int64(len(created)) || audited != stored {
		t.Fatalf("%d courses answered 201, %d stored, %d audited", len(created), stored, audited)
	}
	var check string
	if err := full.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity of the full database: %s %v", check, err)
	}
	t.Logf("%d courses fitted before the database was full", len(created))
}
