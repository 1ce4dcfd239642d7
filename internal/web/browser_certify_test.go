package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBrowserCompletionToVerification: the host's coordinator takes the roll,
// records a score and completes the cohort; the trainee downloads the
// certificate; an anonymous visitor sees it valid, and after revocation revoked.
func TestBrowserCompletionToVerification(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := webtest.Browser(t)
	env.App.Certify.Printer = certify.NewPrinter(dbtest.BrowserPath(), 1)
	env.App.Certify.BaseURL = env.URL
	t.Cleanup(func() { _ = env.App.Certify.Close() })
	sc := newCertifyScene(t, env, "b")
	run := sc.running.ID

	env.SignIn(t, ctx, env.URL+"/manage/sessions/"+sc.session.ID+"/attendance", "coordinator@b.example")
	// One press records the whole room: everyone starts as present.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#roll`), chromedp.Submit(`#roll`), chromedp.WaitVisible(`.flash-success`)); err != nil {
		t.Fatal(err)
	}
	if checked, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#roll input[type=radio]:checked').value`)); checked != "present" {
		t.Fatalf("recorded mark %q", checked)
	}
	score := chromedp.ID("score-" + sc.enrollment.ID)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/manage/cohorts/"+run+"/results"),
		chromedp.WaitVisible(score),
		chromedp.SendKeys(score, "75"),
		chromedp.Submit(score),
		chromedp.WaitVisible(`.flash-success`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The confirmation page says who passes before anything changes.
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/manage/cohorts/"+run+"/complete"), chromedp.WaitVisible(`#confirm-completion`)); err != nil {
		t.Fatal(err)
	}
	if r := attr(t, ctx, `#outcomes tbody tr`, "data-result"); r != "completed" {
		t.Fatalf("preview outcome %q", r)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#confirm-completion`), chromedp.WaitVisible(`#completion-state.flash-success`)); err != nil {
		t.Fatal(err)
	}
	number := text(t, ctx, `#outcomes tbody tr a`)
	if !strings.HasPrefix(number, "MUS-") {
		t.Fatalf("certificate number %q", number)
	}
	certifySignOut(t, ctx)

	// The trainee finds it and downloads the PDF.
	env.SignIn(t, ctx, env.URL+"/me/certificates", "trainee@b.example")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#my-certificates`)); err != nil {
		t.Fatal(err)
	}
	download, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector('a[href="/certificates/`+number+`.pdf"]');
		const r = await fetch(a.href);
		const head = new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5));
		return r.status + " " + r.headers.get("Content-Type") + " " + head;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || download != "200 application/pdf %PDF-" {
		t.Fatalf("download: %q %v", download, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/certificates/"+number), chromedp.WaitVisible(`#certificate-status`)); err != nil {
		t.Fatal(err)
	}
	verifyURL := attr(t, ctx, `a[href*="/verify/"]`, "href")
	certifySignOut(t, ctx)

	// Anyone can check it.
	certifyCheckVerification(t, ctx, verifyURL, "valid")
	if res := env.As("b/coordinator").Do("POST", "/api/v1/certificates/"+number+"/revoke", map[string]any{"reason": "Issued to the wrong person"}); res.Status != 200 {
		t.Fatalf("revoke: %d %s", res.Status, res.Body)
	}
	certifyCheckVerification(t, ctx, verifyURL, "revoked")
	if body := text(t, ctx, "main"); strings.Contains(body, "wrong person") {
		t.Fatalf("the internal reason is public: %s", body)
	}
}

func certifyCheckVerification(t *testing.T, ctx context.Context, url, want string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(`#verify-status`)); err != nil {
		t.Fatal(err)
	}
	if got := attr(t, ctx, `#verify-status`, "data-status"); got != want {
		t.Fatalf("verification page says %q, want %q", got, want)
	}
	if got := strings.ToLower(text(t, ctx, `#verify-status`)); !strings.Contains(got, want) {
		t.Fatalf("verification text %q does not say %q", got, want)
	}
}

func certifySignOut(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`a[href="/login"]`)); err != nil {
		t.Fatalf("sign out: %v", err)
	}
}
