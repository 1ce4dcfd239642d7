package catalog

import (
	"fmt"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/paging"
)

// TestSearchTotalsFollowTheCatalogue: totals come from a count cached under
// the catalogue's version, so every change (a new course, a draft
// published, a language added) shows in the next total, on every page, and
// each page lists its courses' languages.
func TestSearchTotalsFollowTheCatalogue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for i := range 7 {
			f.create(t, f.coordA, input(fmt.Sprintf("CN-%d", 101+i)))
		}
		search := func(who string, q Query) paging.Page[CourseSummary] {
			t.Helper()
			actor := f.anon
			if who == "coordA" {
				actor = f.coordA
			}
			page, err := f.svc.Search(f.ctx, actor, q)
			if err != nil {
				t.Fatal(err)
			}
			return page
		}
		want := func(page paging.Page[CourseSummary], total int64, codes string) {
			t.Helper()
			if page.Total != total || codesOf(page.Items) != codes {
				t.Fatalf("total %d %q, want %d %q", page.Total, codesOf(page.Items), total, codes)
			}
		}
		first := Query{Params: paging.Params{Page: 1, PerPage: 3}}
		want(search("anon", first), 7, "CN-101 CN-102 CN-103")
		before, err := f.svc.Stamp(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		f.create(t, f.coordA, input("CN-201"))
		after, _ := f.svc.Stamp(f.ctx)
		if after.Version <= before.Version {
			t.Fatalf("stamp %d after a new course, %d before", after.Version, before.Version)
		}
		want(search("anon", first), 8, "CN-101 CN-102 CN-103")
		want(search("anon", Query{Params: paging.Params{Page: 3, PerPage: 3}}), 8, "CN-107 CN-201")
		want(search("anon", Query{Params: paging.Params{Page: 9, PerPage: 3}}), 8, "")
		want(search("anon", Query{Q: "no such", Params: first.Params}), 0, "")

		draft := input("CN-301")
		draft.Status = StatusDraft
		f.create(t, f.coordA, draft)
		want(search("anon", first), 8, "CN-101 CN-102 CN-103")   // the public count is not the coordinator's
		want(search("coordA", first), 9, "CN-101 CN-102 CN-103") // who sees drafts counts them
		f.update(t, f.coordA, "CN-301", CoursePatch{Status: ptr(StatusPublished)})
		want(search("anon", first), 9, "CN-101 CN-102 CN-103")

		f.update(t, f.coordA, "CN-101", CoursePatch{Languages: &[]string{"tg", "en", "fa"}})
		page := search("anon", Query{Language: "tg", Params: first.Params})
		if page.Total != 1 || len(page.Items) != 1 || fmt.Sprint(page.Items[0].Languages) != "[en fa tg]" {
			t.Fatalf("language filter after adding tg: %+v", page)
		}
	})
}
