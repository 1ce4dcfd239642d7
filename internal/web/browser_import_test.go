package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// TestBrowserImportExplainsEachRow: a Persian hr officer uploads a file
// with a bad address and sees, beside that row, the column and the reason
// in Persian, and no button to import the file.
func TestBrowserImportExplainsEachRow(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	hr := env.Users["a/hr"]
	lang := "fa"
	if _, err := env.App.Identity.SetPreferences(context.Background(), hr.Actor("192.0.2.9"), identity.Preferences{Language: &lang}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(file, []byte("email,full_name\ngood@a.example,Good One\nnot-an-email,Bad Address\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Browser(t)
	env.SignIn(t, ctx, env.URL+"/login?next=/manage/users/import", hr.Email)
	err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/manage/users/import"), chromedp.WaitVisible(`#f-file`),
		chromedp.SetUploadFiles(`#f-file`, []string{file}), chromedp.Click(`form.narrow button[type="submit"]`),
		chromedp.WaitVisible(`tr.row-error li[data-field="email"]`))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `tr.row-error li[data-field="email"]`); got != "email: یک نشانی پست الکترونیکی معتبر وارد کنید." {
		t.Errorf("the bad row's reason reads %q", got)
	}
	commits, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('button[name="commit"]').length`))
	if err != nil || commits != 0 {
		t.Errorf("a file with a bad row offers to import (%d, %v)", commits, err)
	}
}
