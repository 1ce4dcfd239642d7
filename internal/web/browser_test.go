package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

func TestBrowserHomePageEnglishAndPersian(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := webtest.Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/")); err != nil {
		t.Fatal(err)
	}
	h1 := text(t, ctx, "h1")
	if h1 != "Joint training for partner agencies" || attr(t, ctx, "html", "dir") != "ltr" {
		t.Fatalf("English home: %q dir=%s", h1, attr(t, ctx, "html", "dir"))
	}
	// The footer's switcher works without JavaScript: a form post and a redirect.
	if err := chromedp.Do(ctx, chromedp.Click(`button[value="fa"]`), chromedp.WaitVisible(`html[lang="fa"]`)); err != nil {
		t.Fatal(err)
	}
	if dir := attr(t, ctx, "html", "dir"); dir != "rtl" {
		t.Fatalf("Persian page dir = %q", dir)
	}
	fa := text(t, ctx, "h1")
	if fa == h1 || !containsArabicScript(fa) {
		t.Fatalf("Persian heading %q", fa)
	}
	// The page really is laid out right to left.
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("main")).direction`))
	if err != nil || dir != "rtl" {
		t.Fatalf("computed direction %q %v", dir, err)
	}
}

func TestBrowserSignInAndPersonnelList(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := webtest.Browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/manage/users"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, "coordinator@b.example"),
		chromedp.SendKeys(`#f-password`, "not the password"),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(`.flash-error`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The form keeps the email after a failure.
	if v, _ := chromedp.Run(ctx, chromedp.Value(`#f-email`)); v != "coordinator@b.example" {
		t.Fatalf("email not kept: %q", v)
	}
	// The coordinator's first sign-in: the second factor is set up in the
	// browser, as a person would (scan, or type the key, then a code).
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#f-password`, webtest.Password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(`#mfa-required`),
		chromedp.Click(`#mfa-begin`),
		chromedp.WaitVisible(`#mfa-qr`),
	)
	if err != nil {
		t.Fatal(err)
	}
	secret := text(t, ctx, "#mfa-secret")
	env.RememberSecondFactor("coordinator@b.example", secret)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`#f-code`, env.TOTPCode("coordinator@b.example")),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`#recovery-codes`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if codes := text(t, ctx, "#recovery-codes ul"); len(strings.Fields(codes)) != 10 {
		t.Fatalf("recovery codes shown: %q", codes)
	}
	// The session now passed its second factor: the page first asked for opens.
	err = chromedp.Do(ctx, chromedp.Navigate(env.URL+"/manage/users"), chromedp.WaitVisible(`table`))
	if err != nil {
		t.Fatal(err)
	}
	// Back at the page first asked for, showing only the coordinator's agency.
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/manage/users") {
		t.Fatalf("after sign-in at %s", loc)
	}
	table := text(t, ctx, "table")
	if !strings.Contains(table, "B trainee") || strings.Contains(table, "A trainee") {
		t.Fatalf("personnel list: %s", table)
	}
}

// waitAt waits until the browser has loaded a page whose path and query
// contain want. A selector on the page before a navigation can match too
// early, on the old page; the address and load state cannot.
func waitAt(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		// Empty while the page is loading; an error while a navigation swaps the document.
		loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? decodeURIComponent((location.pathname + location.search).replaceAll("+", " ")) : ""`))
		if err == nil && strings.Contains(loc, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser did not reach %s: at %q (%v)", want, loc, err)
		}
		select { // the interval between checks of the condition
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return a.Value
}

func containsArabicScript(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}
	return false
}
