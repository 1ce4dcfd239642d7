package catalog

import (
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr/apperrtest"
	"muster/internal/db/dbtest"
)

// TestCourseTranslations stores a course's texts per language, replaces them
// by a patch, leaves them alone when a patch does not name them, and refuses
// unknown languages and untitled entries.
func TestCourseTranslations(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		in := input("CN-101")
		in.Translations = Translations{
			"fa": {Title: "  عملیات میدانی مبارزه با مواد مخدر ", Summary: "خلاصه"},
			"tg": {}, // empty: dropped, the default shows
		}
		f.create(t, f.coordA, in)
		d, err := f.svc.Get(f.ctx, f.coordA, "CN-101")
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Translations.Title("fa", d.Title); got != "عملیات میدانی مبارزه با مواد مخدر" {
			t.Fatalf("fa title %q", got)
		}
		if _, ok := d.Translations["tg"]; ok || d.Translations.Title("tg", d.Title) != "Course CN-101" {
			t.Fatalf("empty tg entry kept: %+v", d.Translations)
		}

		// A patch of something else keeps them.
		f.update(t, f.coordA, "CN-101", CoursePatch{DurationHours: ptr(12)})
		if d, _ = f.svc.Get(f.ctx, f.coordA, "CN-101"); d.Translations["fa"].Summary != "خلاصه" {
			t.Fatalf("translations lost by an unrelated patch: %+v", d.Translations)
		}
		f.update(t, f.coordA, "CN-101", CoursePatch{Translations: &Translations{"ru": {Title: "Полевые операции"}}})
		d, _ = f.svc.Get(f.ctx, f.coordA, "CN-101")
		if len(d.Translations) != 1 || d.Translations.Title("ru", "") != "Полевые операции" {
			t.Fatalf("after replacing: %+v", d.Translations)
		}
		if n := auditCount(t, gdb, "course.update"); n != 2 {
			t.Fatalf("%d course.update events, want 2", n)
		}

		_, err = f.svc.Update(f.ctx, f.coordA, "CN-101", CoursePatch{Translations: &Translations{"de": {Title: "Feldeinsätze"}}})
		apperrtest.WantField(t, err, "translations[de]", "validation.oneof")
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-101", CoursePatch{Translations: &Translations{"fa": {Summary: "بدون عنوان"}}})
		apperrtest.WantField(t, err, "translations[fa].title", "validation.required")
	})
}
