package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBrowserCatalogue: an anonymous visitor searches the catalogue, filters
// by discipline, opens a course and follows its prerequisite; then the same
// in Persian, right to left.
func TestBrowserCatalogue(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	if _, err := env.App.Courses.SeedDemo(context.Background(), [2]string{env.Agencies["a"].ID, env.Agencies["b"].ID}); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Browser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/courses"),
		chromedp.SendKeys(`#q`, "trafficking"),
		chromedp.SetValue(`#discipline`, "counter_narcotics"),
		chromedp.Submit(`#q`),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "q=trafficking")
	list := text(t, ctx, "ul.courses")
	if !strings.Contains(list, "CN-201") || strings.Contains(list, "CN-101") || strings.Contains(list, "BS-") {
		t.Fatalf("search results: %s", list)
	}
	if got := text(t, ctx, "#result-count"); got != "1 result" {
		t.Fatalf("count %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`a[href="/courses/CN-201"]`)); err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/courses/CN-201")
	if pre := text(t, ctx, "#prerequisites"); !strings.Contains(pre, "CN-101") {
		t.Fatalf("prerequisites: %q", pre)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#prerequisites a`)); err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/courses/CN-101")
	if h1 := text(t, ctx, "h1"); !strings.Contains(h1, "CN-101") {
		t.Fatalf("prerequisite page: %q", h1)
	}

	// In Persian: a Persian query finds the Persian-titled course, right to left.
	err = chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/courses"),
		chromedp.Click(`button[value="fa"]`),
		chromedp.WaitVisible(`html[lang="fa"]`),
		chromedp.SendKeys(`#q`, "مواد مخدر"),
		chromedp.SetValue(`#discipline`, "counter_narcotics"),
		chromedp.Submit(`#q`),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "q=مواد مخدر")
	if dir := attr(t, ctx, "html", "dir"); dir != "rtl" {
		t.Fatalf("dir %q", dir)
	}
	list = text(t, ctx, "ul.courses")
	if !strings.Contains(list, "مبانی مبارزه با مواد مخدر") {
		t.Fatalf("Persian search: %s", list)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`a[href="/courses/CN-101"]`)); err != nil {
		t.Fatal(err)
	}
	waitAt(t, ctx, "/courses/CN-101")
	if h1 := text(t, ctx, "h1"); !strings.Contains(h1, "مبانی") {
		t.Fatalf("Persian course page: %q", h1)
	}
	if label := text(t, ctx, "dl.facts dt"); !containsArabicScript(label) {
		t.Fatalf("labels not in Persian: %q", label)
	}
}
