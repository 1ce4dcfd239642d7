package webtest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/certify"
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
	opts := append(certify.BrowserOptions(path), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}
