// Command probe tells, before the tests run, whether PostgreSQL and Chromium
// tests will run or be skipped, in one loud line each.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"muster/internal/db/dbtest"
)

func main() {
	url := os.Getenv("TEST_DATABASE_URL")
	if url == "" {
		url = dbtest.DefaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	failed := false
	conn, err := sql.Open("pgx", url)
	if err == nil {
		err = conn.PingContext(ctx)
	}
	switch {
	case err == nil:
		fmt.Println("PostgreSQL: reachable, PostgreSQL tests will run.")
	case os.Getenv("MUSTER_REQUIRE_POSTGRES") != "":
		fmt.Fprintf(os.Stderr, "PostgreSQL is required (MUSTER_REQUIRE_POSTGRES) but does not answer: %v\n", err)
		failed = true
	default:
		fmt.Fprintf(os.Stderr, "!!! PostgreSQL does not answer: ALL PostgreSQL TESTS WILL BE SKIPPED (%v). Set TEST_DATABASE_URL or run .ci/run.\n", err)
	}
	if _, err := exec.LookPath(dbtest.BrowserPath()); err == nil {
		fmt.Println("Chromium: found, browser tests will run.")
	} else if os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
		fmt.Fprintln(os.Stderr, "Chromium is required (MUSTER_REQUIRE_BROWSER) but not installed: apt-get install chromium")
		failed = true
	} else {
		fmt.Fprintln(os.Stderr, "!!! Chromium not found: ALL BROWSER TESTS WILL BE SKIPPED. Install the chromium package or run .ci/run.")
	}
	if failed {
		os.Exit(1)
	}
}
