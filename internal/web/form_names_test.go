package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// postForm sends a form as a browser does.
func postForm(c *webtest.Client, path string, form url.Values) *webtest.Response {
	return c.Do("POST", path, form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// hasInput reports whether page holds the input named name with value,
// marked with lang and its direction.
func hasInput(page, name, value, lang string) bool {
	dir := "ltr"
	if lang == "fa" {
		dir = "rtl"
	}
	return strings.Contains(page, `name="`+name+`" value="`+value+`" dir="`+dir+`" lang="`+lang+`"`)
}

// TestCourseFormTranslations: the course form saves a Tajik title and
// summary that the API then answers in Tajik, shows them on edit, keeps
// them and the Tajik description through an edit, and re-renders what was
// typed per language when a submit is refused.
func TestCourseFormTranslations(t *testing.T) {
	const (
		tgTitle   = "Асосҳои мубориза бо маводи мухаддир"
		tgSummary = "Курси ибтидоӣ барои кормандони гумрук"
		faTitle   = "مبانی مبارزه با مواد مخدر"
	)
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		coord := env.As("a/coordinator")
		form := url.Values{"code": {"TR-101"}, "title": {"Counter-narcotics basics"}, "summary": {"An introduction"},
			"discipline": {"counter_narcotics"}, "level": {"basic"}, "delivery": {"in_person"}, "duration_hours": {"40"},
			"languages": {"tg", "ru"}, "pass_mark": {"70"}, "min_attendance_percent": {"80"}, "validity_months": {"24"},
			"status": {"published"}, "title_tg": {tgTitle}, "summary_tg": {tgSummary}, "title_fa": {faTitle}, "summary_fa": {""},
			"title_ru": {""}, "summary_ru": {""}, "title_en": {""}, "summary_en": {""}}

		// A summary without a title in Russian is refused; every typed text comes back.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("summary_ru", "Только описание")
		res := postForm(coord, "/manage/courses", bad)
		page := string(res.Body)
		if res.Status != http.StatusUnprocessableEntity || !hasInput(page, "title_tg", tgTitle, "tg") || !hasInput(page, "title_fa", faTitle, "fa") ||
			!hasInput(page, "summary_ru", "Только описание", "ru") || !strings.Contains(page, `<div class="field has-error"><label for="f-title_ru">`) {
			t.Fatalf("a Russian summary without a title: %d %s", res.Status, page)
		}

		if res := postForm(coord, "/manage/courses", form); res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		got := want(t, coord.Do("GET", "/api/v1/courses/TR-101", nil), http.StatusOK, "")
		tr, _ := got["translations"].(map[string]any)
		if tg, _ := tr["tg"].(map[string]any); tg["title"] != tgTitle || tg["summary"] != tgSummary {
			t.Fatalf("Tajik texts not stored: %v", got["translations"])
		}
		if _, ok := tr["ru"]; ok {
			t.Fatalf("empty Russian inputs stored a translation: %v", tr)
		}
		speak(t, env, "a/coordinator", "tg")
		if got := want(t, coord.Do("GET", "/api/v1/courses/TR-101", nil), http.StatusOK, ""); got["title"] != tgTitle {
			t.Fatalf("the course in Tajik: %v", got["title"])
		}

		// A Tajik description set through the API survives the form.
		want(t, coord.Do("PATCH", "/api/v1/courses/TR-101", map[string]any{"translations": map[string]any{
			"tg": map[string]string{"title": tgTitle, "summary": tgSummary, "description": "Тавсифи пурра"}, "fa": map[string]string{"title": faTitle}}}), http.StatusOK, "")
		page = string(coord.Do("GET", "/manage/courses/TR-101/edit", nil).Body)
		if !hasInput(page, "title_tg", tgTitle, "tg") || !hasInput(page, "summary_tg", tgSummary, "tg") || !hasInput(page, "title_fa", faTitle, "fa") ||
			!hasInput(page, "title_en", "", "en") {
			t.Fatalf("the edit form does not show the stored translations: %s", page)
		}
		form.Set("title", "Counter-narcotics fundamentals")
		if res := postForm(coord, "/manage/courses/TR-101", form); res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Status, res.Body)
		}
		got = want(t, coord.Do("GET", "/api/v1/courses/TR-101", nil, "Accept-Language", "en"), http.StatusOK, "")
		tr, _ = got["translations"].(map[string]any)
		tg, _ := tr["tg"].(map[string]any)
		if fa, _ := tr["fa"].(map[string]any); tg["title"] != tgTitle || tg["description"] != "Тавсифи пурра" || fa["title"] != faTitle {
			t.Fatalf("the edit lost translations: %v", tr)
		}

		// Clearing a language's inputs removes its translation.
		form.Set("title_fa", "")
		if res := postForm(coord, "/manage/courses/TR-101", form); res.Status != http.StatusSeeOther {
			t.Fatalf("clear Persian: %d %s", res.Status, res.Body)
		}
		got = want(t, coord.Do("GET", "/api/v1/courses/TR-101", nil), http.StatusOK, "")
		if tr, _ := got["translations"].(map[string]any); tr["fa"] != nil || tr["tg"] == nil {
			t.Fatalf("after clearing Persian: %v", tr)
		}
	})
}

// TestAgencyFormNames: the agency forms save, show and keep names per
// language and re-render typed names on a refused submit.
func TestAgencyFormNames(t *testing.T) {
	const (
		tg = "Агентии назорати маводи мухаддир"
		fa = "ستاد مبارزه با مواد مخدر"
	)
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		admin := env.As("a/admin")
		form := url.Values{"name": {"Drug Control Agency"}, "short_name": {"DCA"}, "country": {"TJ"}, "kind": {"drug_control"},
			"time_zone": {"Asia/Dushanbe"}, "names_tg": {tg}, "names_fa": {fa}, "names_ru": {""}, "names_en": {""}}

		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("name", "")
		bad.Set("names_ru", strings.Repeat("я", 201))
		res := postForm(admin, "/manage/agencies", bad)
		page := string(res.Body)
		if res.Status != http.StatusUnprocessableEntity || !hasInput(page, "names_tg", tg, "tg") || !hasInput(page, "names_fa", fa, "fa") ||
			!strings.Contains(page, `<div class="field has-error"><label for="f-names_ru">`) {
			t.Fatalf("a refused agency: %d %s", res.Status, page)
		}

		if res := postForm(admin, "/manage/agencies", form); res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var id string
		for _, a := range want(t, admin.Do("GET", "/api/v1/agencies?page_size=100", nil), http.StatusOK, "")["items"].([]any) {
			if m := a.(map[string]any); m["short_name"] == "DCA" {
				id, _ = m["id"].(string)
			}
		}
		if id == "" {
			t.Fatal("the agency was not created")
		}
		got := want(t, admin.Do("GET", "/api/v1/agencies/"+id, nil), http.StatusOK, "")
		if names, _ := got["names"].(map[string]any); names["tg"] != tg || names["fa"] != fa || names["ru"] != nil {
			t.Fatalf("names stored: %v", got["names"])
		}
		page = string(admin.Do("GET", "/manage/agencies/"+id, nil).Body)
		if !hasInput(page, "names_tg", tg, "tg") || !hasInput(page, "names_fa", fa, "fa") || !hasInput(page, "names_en", "", "en") {
			t.Fatalf("the edit form does not show the names: %s", page)
		}
		form.Set("short_name", "DCA-TJ")
		if res := postForm(admin, "/manage/agencies/"+id, form); res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Status, res.Body)
		}
		speak(t, env, "a/admin", "tg")
		if got := want(t, admin.Do("GET", "/api/v1/agencies/"+id, nil), http.StatusOK, ""); got["name"] != tg || got["short_name"] != "DCA-TJ" {
			t.Fatalf("after the edit, in Tajik: %v", got)
		}

		bad.Set("name", "Drug Control Agency")
		res = postForm(admin, "/manage/agencies/"+id, bad)
		if page := string(res.Body); res.Status != http.StatusUnprocessableEntity || !hasInput(page, "names_fa", fa, "fa") ||
			!strings.Contains(page, `value="`+strings.Repeat("я", 201)+`"`) {
			t.Fatalf("a refused edit: %d %s", res.Status, page)
		}
	})
}

// TestVenueFormNames: the venue forms save, show and keep names per
// language and re-render typed names on a refused submit.
func TestVenueFormNames(t *testing.T) {
	const (
		tg = "Толори асосӣ"
		fa = "تالار اصلی"
	)
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		coord := env.As("a/coordinator")
		form := url.Values{"name": {"Main hall"}, "city": {"Dushanbe"}, "country": {"TJ"}, "capacity": {"40"}, "time_zone": {"Asia/Dushanbe"},
			"names_tg": {tg}, "names_fa": {fa}, "names_ru": {""}, "names_en": {""}}

		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("capacity", "many")
		res := postForm(coord, "/manage/venues", bad)
		if page := string(res.Body); res.Status != http.StatusUnprocessableEntity || !hasInput(page, "names_tg", tg, "tg") || !hasInput(page, "names_fa", fa, "fa") {
			t.Fatalf("a refused venue: %d %s", res.Status, page)
		}

		if res := postForm(coord, "/manage/venues", form); res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var id string
		for _, v := range want(t, coord.Do("GET", "/api/v1/venues", nil), http.StatusOK, "")["items"].([]any) {
			if m := v.(map[string]any); m["city"] == "Dushanbe" && m["capacity"] == float64(40) {
				id, _ = m["id"].(string)
			}
		}
		if id == "" {
			t.Fatal("the venue was not created")
		}
		got := want(t, coord.Do("GET", "/api/v1/venues/"+id, nil), http.StatusOK, "")
		if names, _ := got["names"].(map[string]any); names["tg"] != tg || names["fa"] != fa || names["ru"] != nil {
			t.Fatalf("names stored: %v", got["names"])
		}
		page := string(coord.Do("GET", "/manage/venues/"+id, nil).Body)
		if !hasInput(page, "names_tg", tg, "tg") || !hasInput(page, "names_fa", fa, "fa") || !hasInput(page, "names_ru", "", "ru") {
			t.Fatalf("the edit form does not show the names: %s", page)
		}
		form.Set("capacity", strconv.Itoa(45))
		if res := postForm(coord, "/manage/venues/"+id, form); res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Status, res.Body)
		}
		got = want(t, coord.Do("GET", "/api/v1/venues/"+id, nil), http.StatusOK, "")
		if names, _ := got["names"].(map[string]any); names["tg"] != tg || names["fa"] != fa || got["capacity"] != float64(45) {
			t.Fatalf("after the edit: %v", got)
		}

		bad.Set("names_ru", "Главный зал")
		res = postForm(coord, "/manage/venues/"+id, bad)
		if page := string(res.Body); res.Status != http.StatusUnprocessableEntity || !hasInput(page, "names_ru", "Главный зал", "ru") || !hasInput(page, "names_fa", fa, "fa") {
			t.Fatalf("a refused edit: %d %s", res.Status, page)
		}
	})
}
