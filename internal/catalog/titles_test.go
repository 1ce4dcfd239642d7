package catalog

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
)

// translatedCourse is a course titled in English with Persian, Tajik and
// Russian translations.
func translatedCourse(t *testing.T, f *fixture) *Course {
	t.Helper()
	in := input("TR-101")
	in.Title, in.Summary = "Border crossings", "Checkpoint routines"
	in.Translations = Translations{
		"fa": {Title: "گذرگاه‌های مرزی", Summary: "روال ایست بازرسی"},
		"tg": {Title: "Гузаргоҳҳои сарҳадӣ"},
		"ru": {Title: "Пограничные переходы", Summary: "Порядок на пунктах пропуска"},
	}
	return f.create(t, f.coordA, in)
}

func TestSearchFindsTranslations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		translatedCourse(t, f)
		for _, q := range []string{"گذرگاه های مرزی", "گذرگاههای", "гузаргоҳҳои", "ПОГРАНИЧНЫЕ", "пунктах пропуска", "border crossings", "روال"} {
			page, err := f.svc.Search(f.ctx, f.anon, Query{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := codesOf(page.Items); got != "TR-101" {
				t.Errorf("q=%q: %q, want TR-101", q, got)
			}
		}
	})
}

func TestReindexBackfillsTranslations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := translatedCourse(t, f)
		// A course saved before translations were searched.
		if err := gdb.Model(&Course{ID: c.ID}).Update("search_text", SearchText(c.Code, c.Title, c.Summary, nil)).Error; err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.Search(f.ctx, f.anon, Query{Q: "Гузаргоҳҳои"})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("before reindex: %v %v", page.Items, err)
		}
		if n, err := f.svc.Reindex(f.ctx); err != nil || n != 1 {
			t.Fatalf("Reindex = %d, %v; want 1", n, err)
		}
		if n, err := f.svc.Reindex(f.ctx); err != nil || n != 0 {
			t.Fatalf("second Reindex = %d, %v; want 0", n, err)
		}
		page, err = f.svc.Search(f.ctx, f.anon, Query{Q: "Гузаргоҳҳои"})
		if err != nil || codesOf(page.Items) != "TR-101" {
			t.Fatalf("after reindex: %v %v", page.Items, err)
		}
	})
}

func TestTitlesInReadersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		c := translatedCourse(t, f)
		titles, err := f.svc.Titles(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ key, lang, want string }{
			{c.Code, "tg", "Гузаргоҳҳои сарҳадӣ"},
			{c.ID, "fa", "گذرگاه‌های مرزی"},
			{c.Code, "ru", "Пограничные переходы"},
			{c.Code, "en", "Border crossings"},
			{"NO-SUCH", "tg", "row title"},
		} {
			if got := titles.In(tc.key, tc.lang, "row title"); got != tc.want {
				t.Errorf("In(%s, %s) = %q, want %q", tc.key, tc.lang, got, tc.want)
			}
		}
		// A save moves the catalogue's version, so the next read sees it.
		f.update(t, f.coordA, c.Code, CoursePatch{Translations: &Translations{"tg": {Title: "Гузаргоҳ"}}})
		if titles, err = f.svc.Titles(f.ctx); err != nil || titles.In(c.Code, "tg", "") != "Гузаргоҳ" {
			t.Errorf("after save: %q, %v", titles.In(c.Code, "tg", ""), err)
		}
	})
}
