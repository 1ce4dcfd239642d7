package catalog

import (
	"slices"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
)

func TestSeedDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		n, err := f.svc.SeedDemo(f.ctx, [2]string{f.a, f.b})
		if err != nil {
			t.Fatal(err)
		}
		if n < 25 {
			t.Fatalf("seeded %d courses, want at least 25", n)
		}
		if again, err := f.svc.SeedDemo(f.ctx, [2]string{f.a, f.b}); err != nil || again != 0 {
			t.Fatalf("second seed: %d, %v", again, err)
		}
		if got := auditCount(t, gdb, "course.create"); got != int64(n) {
			t.Fatalf("%d audit events for %d courses", got, n)
		}
		var rows []Course
		gdb.Find(&rows)
		disciplines, statuses, owners := map[string]bool{}, map[string]int{}, map[string]int{}
		for _, c := range rows {
			disciplines[c.Discipline] = true
			statuses[c.Status]++
			owners[c.OwnerAgencyID]++
		}
		for _, d := range Disciplines {
			if !disciplines[d] {
				t.Errorf("no demo course in %s", d)
			}
		}
		if statuses[StatusDraft] < 2 || statuses[StatusArchived] != 1 || owners[f.a] == 0 || owners[f.b] == 0 {
			t.Errorf("statuses %v, owners %v", statuses, owners)
		}
		d, err := f.svc.Get(f.ctx, f.anon, "CN-301")
		if err != nil || len(d.Prerequisites) != 1 || d.Prerequisites[0].Code != "CN-201" {
			t.Fatalf("CN-301: %+v %v", d, err)
		}
		page, err := f.svc.Search(f.ctx, f.anon, Query{Q: "مواد مخدر"})
		if err != nil || !slices.ContainsFunc(page.Items, func(s CourseSummary) bool { return s.Code == "CN-101" }) {
			t.Fatalf("Persian search of the demo: %+v %v", page.Items, err)
		}
		page, _ = f.svc.Search(f.ctx, f.anon, Query{Q: "границ"})
		if page.Total != 1 || page.Items[0].Code != "BS-101" {
			t.Fatalf("Cyrillic search of the demo: %+v", page.Items)
		}
	})
}
