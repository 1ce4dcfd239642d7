package webtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
)

var skipOnce sync.Once

// Browser starts a headless Chromium for the test and returns its context.
// Without Chromium the test is skipped with one loud line, unless
// MUSTER_REQUIRE_BROWSER is set, when it fails.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path := dbtest.BrowserPath()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
			t.Fatalf("Chromium is required (MUSTER_REQUIRE_BROWSER) but %s is missing", path)
		}
		skipOnce.Do(func() {
			fmt.Fprintf(os.Stderr, "\n!!! Chromium not found at %s: browser tests are SKIPPED (apt-get install chromium)\n\n", path)
		})
		t.Skipf("no Chromium at %s", path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("no-sandbox", true), // tests may run as root in CI containers
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}
