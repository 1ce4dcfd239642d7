package web_test

import (
	"bytes"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"muster/internal/calendar"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestBrowserVerifyByNumberInPersian: a checker at a border opens /verify in
// Persian, types the printed number on a Persian keyboard and sees the
// certificate valid, the issuing and the holder's agencies, the Jalali date
// in Persian digits beside the Gregorian one, and a QR code of the page.
func TestBrowserVerifyByNumberInPersian(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := webtest.Browser(t)
	env.App.Certify.BaseURL = env.URL
	// Hosted by agency a for a trainee of agency b, so the two agencies differ.
	sc := newHostedCertifyScene(t, env, "a", "b")
	number := sc.certificate.Number

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/verify"),
		chromedp.Click(`button[value="fa"]`),
		chromedp.WaitVisible(`html[lang="fa"] #verify-form`),
		chromedp.SendKeys(`#f-number`, calendar.PersianDigits(number)),
		chromedp.Submit(`#f-number`),
		chromedp.WaitVisible(`#verify-status`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := attr(t, ctx, `#verify-status`, "data-status"); got != "valid" {
		t.Fatalf("status %q", got)
	}
	if got := text(t, ctx, `#verify-status`); got != "این گواهی‌نامه معتبر است." {
		t.Errorf("status text %q", got)
	}
	if got := text(t, ctx, `#verify-issuing-agency`); !strings.Contains(got, "Agency a") || !strings.Contains(got, "IR") {
		t.Errorf("issuing agency %q", got)
	}
	if got := text(t, ctx, `#verify-holder-agency`); !strings.Contains(got, "Agency b") {
		t.Errorf("holder's agency %q", got)
	}
	facts := text(t, ctx, `#verify-facts`)
	issued := sc.certificate.IssuedOn
	for _, want := range []string{number, calendar.ToJalali(issued).String(), issued.String(), env.Users["b/trainee"].FullName} {
		if !strings.Contains(facts, want) {
			t.Errorf("the page lacks %q:\n%s", want, facts)
		}
	}
	if !strings.ContainsAny(facts, "۰۱۲۳۴۵۶۷۸۹") {
		t.Errorf("no Persian digits on the Persian page:\n%s", facts)
	}

	// The QR code opens this same check again.
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(`#verify-qr`))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code on the page: %v", err)
	}
	if want := env.URL + "/verify?number=" + url.QueryEscape(number); res.GetText() != want {
		t.Errorf("QR code reads %q, want %q", res.GetText(), want)
	}

	// A number that does not exist: a Persian answer, the typed number kept.
	err = chromedp.Do(ctx,
		chromedp.SetValue(`#f-number`, "MUS-1999-000001"),
		chromedp.Submit(`#f-number`),
		chromedp.WaitVisible(`#verify-not-found`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, `#verify-not-found h2`); got != "گواهی‌نامه‌ای یافت نشد" {
		t.Errorf("not-found heading %q", got)
	}
	if got, _ := chromedp.Run(ctx, chromedp.Value(`#f-number`)); got != "MUS-1999-000001" {
		t.Errorf("typed number not kept: %q", got)
	}
}
