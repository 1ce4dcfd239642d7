package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/calendar"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestVerifyByNumber looks certificates up by their typed number over the
// API: the same answer as by code, naming the issuing and the holder's
// agency; unknown numbers are 404, malformed ones 422 with a field message
// in the caller's language.
func TestVerifyByNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		// Hosted by agency a for a trainee of agency b, so the two agencies differ.
		sc := newHostedCertifyScene(t, env, "a", "b")
		number, code := sc.certificate.Number, sc.certificate.VerificationCode
		anon := env.Anonymous()

		res := anon.Do("GET", "/api/v1/verify?number="+url.QueryEscape(number), nil)
		if res.Status != http.StatusOK {
			t.Fatalf("by number: %d %s", res.Status, res.Body)
		}
		byNumber := res.Map()
		for k, want := range map[string]any{"number": number, "status": "valid", "issuing_agency": "Agency a", "issuing_agency_country": "IR",
			"holder_agency": "Agency b", "holder_agency_country": "TJ", "holder_name": env.Users["b/trainee"].FullName, "course_code": sc.course.Code} {
			if byNumber[k] != want {
				t.Errorf("%s = %v, want %v", k, byNumber[k], want)
			}
		}
		for _, secret := range []string{code, env.Users["b/trainee"].Email, env.Users["b/trainee"].ServiceNumber, env.Users["b/trainee"].ID} {
			if strings.Contains(string(res.Body), secret) {
				t.Errorf("the answer reveals %q: %s", secret, res.Body)
			}
		}
		if byCode := anon.Do("GET", "/api/v1/verify/"+code, nil); string(byCode.Body) != string(res.Body) {
			t.Errorf("by code and by number differ:\n%s\n%s", byCode.Body, res.Body)
		}
		// Typed on a Persian keyboard, in lower case, with spaces around.
		typed := " " + calendar.PersianDigits(strings.ToLower(number)) + " "
		if res := anon.Do("GET", "/api/v1/verify?number="+url.QueryEscape(typed), nil); res.Status != http.StatusOK || res.Map()["number"] != number {
			t.Errorf("Persian digits: %d %s", res.Status, res.Body)
		}

		res = anon.Do("GET", "/api/v1/verify?number=MUS-1999-999999", nil)
		if res.Status != http.StatusNotFound || res.Map()["code"] != "not_found" {
			t.Errorf("unknown number: %d %s", res.Status, res.Body)
		}
		for _, bad := range []string{"MUS-2026-123", "2026-000123", "MUS 2026 000123", "'; DROP TABLE certificates; --"} {
			res = anon.Do("GET", "/api/v1/verify?number="+url.QueryEscape(bad), nil, "Accept-Language", "fa")
			var p struct {
				Code   string
				Errors []struct{ Field, Message string }
			}
			res.JSON(&p)
			if res.Status != http.StatusUnprocessableEntity || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != "number" ||
				!strings.Contains(p.Errors[0].Message, "شماره گواهی‌نامه") || !strings.Contains(p.Errors[0].Message, "MUS-") {
				t.Errorf("malformed %q: %d %s", bad, res.Status, res.Body)
			}
		}
		if res = anon.Do("GET", "/api/v1/verify", nil); res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"number"`) {
			t.Errorf("no number: %d %s", res.Status, res.Body)
		}
	})
}

// TestVerifyByNumberIsRateLimited: numbers are sequential, so typing them
// shares the limit of codes: past the burst, 429 on page and API alike.
func TestVerifyByNumberIsRateLimited(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.Anonymous()
	for i := range 40 {
		path := fmt.Sprintf("/api/v1/verify?number=MUS-2020-%06d", i)
		switch i % 3 {
		case 1:
			path = fmt.Sprintf("/verify?number=MUS-2020-%06d", i)
		case 2:
			path = "/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAA"
		}
		res := c.Do("GET", path, nil)
		if res.Status == http.StatusTooManyRequests {
			if i < 20 {
				t.Fatalf("limited after only %d requests", i)
			}
			if res.Header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
			res = c.Do("GET", "/verify?number=MUS-2020-000001", nil, "Accept-Language", "ru")
			if res.Status != http.StatusTooManyRequests || !strings.Contains(string(res.Body), "Слишком много запросов") {
				t.Fatalf("the limited page is not in Russian: %d %s", res.Status, res.Body)
			}
			return
		}
		if res.Status != http.StatusNotFound {
			t.Fatalf("request %d (%s): %d %s", i, path, res.Status, res.Body)
		}
	}
	t.Fatal("40 quick lookups were never limited")
}

// TestVerifyPageSpeaksTheReadersLanguage: the form, not-found and error
// answers of /verify are translated, headings included.
func TestVerifyPageSpeaksTheReadersLanguage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	for lang, want := range map[string][]string{
		"en": {"No certificate found", "Certificate number"},
		"ru": {"Сертификат не найден", "Номер сертификата"},
		"tg": {"Сертификат ёфт нашуд", "Рақами сертификат"},
		"fa": {"گواهی‌نامه‌ای یافت نشد", "شماره گواهی‌نامه"},
	} {
		c := env.Anonymous()
		res := c.Do("GET", "/verify?number=MUS-1999-000001", nil, "Accept-Language", lang)
		if res.Status != http.StatusNotFound {
			t.Fatalf("%s: %d", lang, res.Status)
		}
		for _, w := range want {
			if !strings.Contains(string(res.Body), w) {
				t.Errorf("%s not-found page lacks %q", lang, w)
			}
		}
		if lang != "en" && strings.Contains(string(res.Body), "No certificate found") {
			t.Errorf("%s not-found page speaks English", lang)
		}
		res = c.Do("GET", "/verify?number=12", nil, "Accept-Language", lang)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `id="e-number"`) || !strings.Contains(string(res.Body), `value="12"`) {
			t.Errorf("%s malformed: %d %s", lang, res.Status, res.Body)
		}
		if res = c.Do("GET", "/verify", nil, "Accept-Language", lang); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `id="verify-form"`) {
			t.Errorf("%s form: %d", lang, res.Status)
		}
	}
	// Error pages elsewhere carry a translated heading too.
	res := env.Anonymous().Do("GET", "/courses/NO-999", nil, "Accept-Language", "tg")
	if res.Status != http.StatusNotFound || !strings.Contains(string(res.Body), "<h1>Ёфт нашуд</h1>") {
		t.Errorf("a Tajik not-found page: %d %s", res.Status, res.Body)
	}
}
