package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// createTranslatedCourses adds a course titled in Persian with a Tajik
// translation, and one titled in Persian with only a Russian one.
func createTranslatedCourses(t *testing.T, env *webtest.Env) {
	t.Helper()
	coord := env.As("a/coordinator")
	for _, c := range []map[string]any{
		{"code": "TJ-101", "title": "مبانی مرزبانی", "translations": map[string]any{
			"tg": map[string]string{"title": "Асосҳои посбонии сарҳад"}, "ru": map[string]string{"title": "Основы охраны границы"}}},
		{"code": "RU-101", "title": "تحلیل اسناد جعلی", "translations": map[string]any{
			"ru": map[string]string{"title": "Анализ поддельных документов"}}},
	} {
		c["discipline"], c["level"], c["delivery"], c["duration_hours"] = "border_security", "basic", "online", 10
		c["languages"], c["status"] = []string{"fa", "tg"}, "published"
		want(t, coord.Do("POST", "/api/v1/courses", c), http.StatusCreated, "")
	}
}

// TestCatalogueInTheReadersLanguage: a Tajik reader sees Cyrillic titles
// (Tajik, else Russian) on the catalogue page and in the API, a Persian
// reader the Persian originals, and the search finds a course by its
// Persian and by its Tajik title.
func TestCatalogueInTheReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		createTranslatedCourses(t, env)
		anon := env.Anonymous()
		page := string(anon.Do("GET", "/courses", nil, "Accept-Language", "tg").Body)
		for _, s := range []string{"Асосҳои посбонии сарҳад", "Анализ поддельных документов"} {
			if !strings.Contains(page, s) {
				t.Errorf("tg catalogue lacks %q", s)
			}
		}
		if strings.Contains(page, "مبانی مرزبانی") {
			t.Errorf("tg catalogue shows the Persian title")
		}
		titles := map[string]string{}
		list := want(t, anon.Do("GET", "/api/v1/courses", nil, "Accept-Language", "tg"), http.StatusOK, "")
		for _, it := range list["items"].([]any) {
			m := it.(map[string]any)
			titles[m["code"].(string)] = m["title"].(string)
		}
		if titles["TJ-101"] != "Асосҳои посбонии сарҳад" || titles["RU-101"] != "Анализ поддельных документов" {
			t.Errorf("tg API titles %v", titles)
		}
		one := want(t, anon.Do("GET", "/api/v1/courses/TJ-101", nil, "Accept-Language", "fa"), http.StatusOK, "")
		if one["title"] != "مبانی مرزبانی" {
			t.Errorf("fa course title %v", one["title"])
		}
		for _, q := range []string{"مبانی مرزبانی", "посбонии", "АСОСҲОИ"} {
			found := want(t, anon.Do("GET", "/api/v1/courses?q="+url.QueryEscape(q), nil), http.StatusOK, "")
			if items := found["items"].([]any); len(items) != 1 || items[0].(map[string]any)["code"] != "TJ-101" {
				t.Errorf("q=%q found %v", q, items)
			}
			if body := string(anon.Do("GET", "/courses?q="+url.QueryEscape(q), nil, "Accept-Language", "fa").Body); !strings.Contains(body, "TJ-101") {
				t.Errorf("catalogue page q=%q lacks TJ-101", q)
			}
		}
	})
}

// TestProblemTitleInTheReadersLanguage: a problem document's title is in
// the request's language; its type and code stay the stable names.
func TestProblemTitleInTheReadersLanguage(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	for lang, title := range map[string]string{"en": "Not found", "ru": "Не найдено", "fa": "یافت نشد"} {
		p := want(t, env.Anonymous().Do("GET", "/api/v1/courses/NO-999", nil, "Accept-Language", lang), http.StatusNotFound, "not_found")
		if p["title"] != title || p["type"] != "/problems/not_found" {
			t.Errorf("%s: title %v, type %v", lang, p["title"], p["type"])
		}
	}
}
