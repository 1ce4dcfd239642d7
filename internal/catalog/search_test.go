package catalog

import (
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/db/dbtest"
)

// searchFixture is a small catalogue in three scripts.
func searchFixture(t *testing.T, gdb *gorm.DB) *fixture {
	t.Helper()
	f := setup(t, gdb)
	add := func(code, title, summary, discipline, level, delivery, langs string) {
		in := input(code)
		in.Title, in.Summary, in.Discipline, in.Level, in.Delivery = title, summary, discipline, level, delivery
		in.Languages = strings.Fields(langs)
		f.create(t, f.coordA, in)
	}
	add("CN-101", "مبانی مبارزه با مواد مخدر", "آشنایی با مسیرهای قاچاق", "counter_narcotics", "basic", "in_person", "fa tg")
	add("BS-101", "Охрана границ", "Основы пограничного контроля", "border_security", "basic", "in_person", "ru tg")
	add("BS-201", "Document Fraud Detection", "Forged passports at 100% of crossings", "border_security", "intermediate", "blended", "en ru")
	add("IA-201", "تحلیل شبکه‌های مجرمانه", "Network_analysis of trafficking groups", "intelligence_analysis", "intermediate", "online", "fa")
	add("CY-101", "Cybercrime Fundamentals", "Digital evidence and darknet markets", "cybercrime", "basic", "online", "en")
	return f
}

func TestSearchText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := searchFixture(t, gdb)
		for _, tc := range []struct{ q, want string }{
			{"", "BS-101 BS-201 CN-101 CY-101 IA-201"},
			{"bs-2", "BS-201"},         // code, lower case
			{"  FRAUD ", "BS-201"},     // title, any case, trimmed
			{"darknet", "CY-101"},      // summary
			{"ГРАНИЦ", "BS-101"},       // Cyrillic, other case
			{"пограничного", "BS-101"}, // Cyrillic summary
			{"مواد مخدر", "CN-101"},    // Persian
			{"مبارزه  با", "CN-101"},   // runs of space
			{"مبان\u064a", "CN-101"},   // Arabic-keyboard yeh
			{"شب\u0643ه", "IA-201"},    // Arabic-keyboard kaf
			{"شبکههای", "IA-201"},      // without the zero-width non-joiner
			{"شبکه های", "IA-201"},     // a space for the non-joiner
			{"شبکه‌ های", "IA-201"},    // both
			{"مجرمانه network", ""},    // never across two fields
			{"قاچـــاق", "CN-101"},     // tatweel ignored
			{"%", "BS-201"},            // wildcards are literal
			{"100%", "BS-201"},
			{"_", "IA-201"},
			{"k_a", "IA-201"},
			{"no such course", ""},
		} {
			page, err := f.svc.Search(f.ctx, f.anon, Query{Q: tc.q})
			if err != nil {
				t.Fatalf("%q: %v", tc.q, err)
			}
			if got := codesOf(page.Items); got != tc.want || page.Total != int64(len(page.Items)) {
				t.Errorf("q=%q: %q (total %d), want %q", tc.q, got, page.Total, tc.want)
			}
		}
	})
}

func TestSearchFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := searchFixture(t, gdb)
		for _, tc := range []struct {
			q    Query
			want string
		}{
			{Query{Discipline: "border_security"}, "BS-101 BS-201"},
			{Query{Level: "intermediate"}, "BS-201 IA-201"},
			{Query{Delivery: "online"}, "CY-101 IA-201"},
			{Query{Language: "TG"}, "BS-101 CN-101"},
			{Query{Language: "ru", Level: "basic"}, "BS-101"},
			{Query{Discipline: "border_security", Q: "fraud"}, "BS-201"},
			{Query{Discipline: "leadership"}, ""},
			{Query{OwnerAgencyID: f.a, Delivery: "blended"}, "BS-201"},
			{Query{OwnerAgencyID: f.b}, ""},
		} {
			page, err := f.svc.Search(f.ctx, f.trainee, tc.q)
			if err != nil {
				t.Fatalf("%+v: %v", tc.q, err)
			}
			if got := codesOf(page.Items); got != tc.want {
				t.Errorf("%+v: %q, want %q", tc.q, got, tc.want)
			}
		}
		page, _ := f.svc.Search(f.ctx, f.anon, Query{Q: "BS-101"})
		if len(page.Items) != 1 || strings.Join(page.Items[0].Languages, " ") != "ru tg" || page.Items[0].Title != "Охрана границ" {
			t.Fatalf("summary %+v", page.Items)
		}
		for _, tc := range []struct {
			q     Query
			field string
		}{
			{Query{Discipline: "piracy"}, "discipline"},
			{Query{Level: "expert"}, "level"},
			{Query{Delivery: "post"}, "delivery"},
			{Query{Language: "xx"}, "language"},
			{Query{Status: "deleted"}, "status"},
			{Query{OwnerAgencyID: "nope"}, "agency"},
			{Query{Q: strings.Repeat("q", 201)}, "q"},
		} {
			_, err := f.svc.Search(f.ctx, f.anon, tc.q)
			wantFieldAny(t, err, tc.field)
		}
	})
}

// wantFieldAny fails unless err is invalid with some message on field.
func wantFieldAny(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if ok && e.Code == apperr.CodeInvalid && slices.ContainsFunc(e.Fields, func(fe apperr.FieldError) bool { return fe.Field == field }) {
		return
	}
	t.Fatalf("err = %v, want invalid %s", err, field)
}
