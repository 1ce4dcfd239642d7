package webtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
)

var skipOnce sync.Once

// browserBudget is how long one browser test may take in all.
const browserBudget = 5 * time.Minute

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
	// Every step waits for a condition; this bound only ends a test that hangs.
	// It is wide because a loaded 2-core machine runs argon2id, a second
	// Chromium for PDFs and other packages' tests at the same time.
	ctx, cancel := context.WithTimeout(context.Background(), browserBudget)
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

// SignIn opens page in the browser, is sent to the sign-in form, and signs
// in as email with Password, answering the second factor on its page when
// the account has one (set up first through the API when its roles need
// one and the harness has none yet).
func (e *Env) SignIn(t *testing.T, ctx context.Context, page, email string) {
	t.Helper()
	if u := e.userByEmail(email); u != nil && e.App.Identity.RequiresSecondFactor(u) && !e.KnowsSecondFactor(email) {
		e.Anonymous().Login(email, Password)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, email),
		chromedp.SendKeys(`#f-password`, Password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
	if !e.KnowsSecondFactor(email) {
		return
	}
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(`#mfa-form #f-code`),
		chromedp.SendKeys(`#mfa-form #f-code`, e.TOTPCode(email)),
		chromedp.Submit(`#mfa-form #f-code`),
		chromedp.WaitNotPresent(`#mfa-form`),
	)
	if err != nil {
		t.Fatalf("second factor of %s: %v", email, err)
	}
}

func (e *Env) userByEmail(email string) *identity.User {
	for _, u := range e.Users {
		if strings.EqualFold(u.Email, email) {
			full, err := e.App.Identity.UserByID(context.Background(), u.ID)
			if err == nil {
				return full
			}
		}
	}
	return nil
}
