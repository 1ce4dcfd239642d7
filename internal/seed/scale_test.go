package seed

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
)

// TestScale: generated data in the numbers asked for, twice into the same
// database (codes and addresses never collide), with certificates issued
// through completion and the audit chain intact.
func TestScale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		ids := identity.NewService(gdb, clock.System{})
		courses := &catalog.Service{DB: gdb, Clock: clock.System{}}
		n := Counts{Agencies: 2, Courses: 1203, People: 31, Cohorts: 3, Certificates: 45}
		for run := range 2 {
			res, err := Scale(ctx, gdb, clock.System{}, ids, courses, n)
			if err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if res.Courses != n.Courses || res.People != n.People || res.Cohorts != n.Cohorts || res.Certificates != n.Certificates {
				t.Fatalf("run %d: %+v", run, res)
			}
		}
		count := func(table, where string) int64 {
			var c int64
			if err := gdb.Table(table).Where(where).Count(&c).Error; err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Each run adds one more course for its cohorts, and certificate holders are people too.
		if c := count("courses", "code LIKE 'X%'"); c != 2*(1203+1) {
			t.Errorf("%d generated courses", c)
		}
		if c := count("courses", "code LIKE 'X%' AND status = 'draft'"); c < 2*1203/20-2 {
			t.Errorf("%d drafts", c)
		}
		if c := count("users", "1 = 1"); c != 2*(31+45) {
			t.Errorf("%d people", c)
		}
		if c := count("cohorts", "status = 'open'"); c != 2*3 {
			t.Errorf("%d open cohorts", c)
		}
		if c := count("certificates", "1 = 1"); c != 2*45 {
			t.Errorf("%d certificates", c)
		}
		page, err := courses.Search(ctx, access.Anonymous("192.0.2.1"), catalog.Query{Q: "crime"})
		if err != nil || page.Total < 200 || page.Total > 260 {
			t.Errorf("a tenth of the published courses mention crime: %d, %v", page.Total, err)
		}
		rep, err := (&audit.Service{DB: gdb, Clock: clock.System{}}).Verify(ctx)
		if err != nil || rep.Break != nil {
			t.Fatalf("audit chain: %v %v", err, rep.Break)
		}
	})
}
