package catalog

import (
	"fmt"
	"muster/internal/apperr/apperrtest"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
)

func TestUpdateCycles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		f.create(t, f.coordA, input("CN-101"))
		f.create(t, f.coordA, input("CN-201", "CN-101"))
		f.create(t, f.coordB, input("CN-301", "CN-201"))
		f.create(t, f.coordA, input("BS-101"))

		for _, tc := range []struct {
			code, prereqs, cycle string
		}{
			{"CN-101", "cn-101", "CN-101 → CN-101"},
			{"CN-101", "CN-201", "CN-101 → CN-201 → CN-101"},
			{"CN-101", "BS-101 CN-301", "CN-101 → CN-301 → CN-201 → CN-101"},
		} {
			prereqs := strings.Fields(tc.prereqs)
			who := f.coordA
			_, err := f.svc.Update(f.ctx, who, tc.code, CoursePatch{Prerequisites: &prereqs})
			fe := apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteCycle)
			if fe.Args["Cycle"] != tc.cycle {
				t.Errorf("%s requiring %s: cycle %v, want %s", tc.code, tc.prereqs, fe.Args["Cycle"], tc.cycle)
			}
		}
		// Renaming does not let a course require its former self.
		_, err := f.svc.Update(f.ctx, f.coordA, "BS-101", CoursePatch{Code: ptr("BS-102"), Prerequisites: &[]string{"BS-101"}})
		apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteCycle)
		// A chain that closes no loop is fine.
		f.update(t, f.coordA, "BS-101", CoursePatch{Prerequisites: &[]string{"CN-301"}})
		if n := auditCount(t, gdb, "course.update"); n != 1 {
			t.Fatalf("%d course.update events, want 1", n)
		}
	})
}

func TestUpdatePermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		f.create(t, f.coordA, input("CN-101"))
		draft := input("CN-102")
		draft.Status = StatusDraft
		f.create(t, f.coordA, draft)
		title := ptr("New title")
		// Published courses are public: refusing them says nothing new.
		_, err := f.svc.Update(f.ctx, f.coordB, "CN-101", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		_, err = f.svc.Update(f.ctx, f.trainee, "CN-101", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		// Drafts outside one's scope do not exist.
		_, err = f.svc.Update(f.ctx, f.coordB, "CN-102", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Update(f.ctx, f.trainee, "cn-102", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		_, err = f.svc.Update(f.ctx, f.anon, "CN-101", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		_, err = f.svc.Update(f.ctx, f.coordA, "XX-404", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeNotFound)
		// Only admins hand a course to another agency.
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-101", CoursePatch{OwnerAgencyID: &f.b})
		apperrtest.WantField(t, err, "owner_agency_id", KeyOwnerAgencyNotAllowed)
		c := f.update(t, f.admin, "CN-101", CoursePatch{OwnerAgencyID: &f.b})
		if c.OwnerAgencyID != f.b {
			t.Fatalf("owner %s", c.OwnerAgencyID)
		}
		c = f.update(t, f.coordB, "cn-101", CoursePatch{Title: title})
		if c.Title != "New title" {
			t.Fatalf("title %q", c.Title)
		}
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-101", CoursePatch{Title: title})
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
	})
}

func TestUpdateFieldsAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		f.create(t, f.coordA, input("CN-101"))
		f.create(t, f.coordA, input("CN-201", "CN-101"))
		f.svc.Clock.(*clock.Fixed).Advance(time.Hour)

		// An empty or same-valued patch changes nothing and records nothing.
		f.update(t, f.coordA, "CN-201", CoursePatch{})
		f.update(t, f.coordA, "CN-201", CoursePatch{Languages: &[]string{"ru", "fa"}})
		if n := auditCount(t, gdb, "course.update"); n != 0 {
			t.Fatalf("%d course.update events for no change", n)
		}
		_, err := f.svc.Update(f.ctx, f.coordA, "CN-201", CoursePatch{DurationHours: ptr(0), Level: ptr("expert")})
		apperrtest.WantField(t, err, "duration_hours", "validation.min")
		apperrtest.WantField(t, err, "level", "validation.oneof")

		c := f.update(t, f.coordA, "cn-201", CoursePatch{
			Title: ptr("مبانی مبارزه با مواد مخدر"), Languages: &[]string{"tg"}, Prerequisites: &[]string{},
		})
		if !c.UpdatedAt.Equal(f.baseTime.Add(time.Hour)) || !c.CreatedAt.Equal(f.baseTime) {
			t.Fatalf("times %v %v", c.CreatedAt, c.UpdatedAt)
		}
		d, err := f.svc.Get(f.ctx, f.anon, "CN-201")
		if err != nil {
			t.Fatal(err)
		}
		if d.Title != "مبانی مبارزه با مواد مخدر" || strings.Join(d.Languages, ",") != "tg" || len(d.Prerequisites) != 0 || d.DurationHours != 40 {
			t.Fatalf("detail %+v", d)
		}
		var details string
		gdb.Table("audit_events").Where("action = ?", "course.update").Select("details").Scan(&details)
		for _, want := range []string{`"title"`, `"languages"`, `"prerequisites"`, `"CN-101"`} {
			if !strings.Contains(details, want) {
				t.Errorf("audit details %s lack %s", details, want)
			}
		}
		if strings.Contains(details, `"duration_hours"`) {
			t.Errorf("audit details %s name an unchanged field", details)
		}

		// Renaming keeps the course; the new code must be free.
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-201", CoursePatch{Code: ptr("cn-101")})
		apperrtest.WantField(t, err, "code", KeyCodeTaken)
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-201", CoursePatch{Code: ptr("CN201")})
		apperrtest.WantField(t, err, "code", KeyCodeFormat)
		c = f.update(t, f.coordA, "CN-201", CoursePatch{Code: ptr("cn-202")})
		if c.Code != "CN-202" {
			t.Fatalf("code %s", c.Code)
		}
		if _, err := f.svc.Get(f.ctx, f.anon, "CN-202"); err != nil {
			t.Fatal(err)
		}
		if n := auditCount(t, gdb, "course.update"); n != 2 {
			t.Fatalf("%d course.update events, want 2", n)
		}
	})
}

func TestStatusChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		base := input("CN-101")
		base.Status = StatusDraft
		f.create(t, f.coordA, base)
		next := input("CN-201", "CN-101")
		next.Status = StatusDraft
		f.create(t, f.coordA, next)

		// A course is published after the courses it requires.
		_, err := f.svc.Publish(f.ctx, f.coordA, "CN-201")
		fe := apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteDraft)
		if fe.Args["Codes"] != "CN-101" {
			t.Fatalf("args %v", fe.Args)
		}
		if _, err := f.svc.Publish(f.ctx, f.coordA, "cn-101"); err != nil {
			t.Fatal(err)
		}
		c, err := f.svc.Publish(f.ctx, f.coordA, "CN-201")
		if err != nil || c.Status != StatusPublished {
			t.Fatalf("publish: %v %+v", err, c)
		}
		// Published courses never go back to draft.
		_, err = f.svc.Update(f.ctx, f.coordA, "CN-201", CoursePatch{Status: ptr(StatusDraft)})
		fe = apperrtest.WantField(t, err, "status", KeyStatusTransition)
		if fe.Args["From"] != StatusPublished || fe.Args["To"] != StatusDraft {
			t.Fatalf("args %v", fe.Args)
		}
		_, err = f.svc.Archive(f.ctx, f.coordB, "CN-201")
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		c, err = f.svc.Archive(f.ctx, f.coordA, "CN-201")
		if err != nil || c.Status != StatusArchived {
			t.Fatalf("archive: %v %+v", err, c)
		}
		// An archived course can be published again.
		c = f.update(t, f.coordA, "CN-201", CoursePatch{Status: ptr(StatusPublished)})
		if c.Status != StatusPublished {
			t.Fatalf("status %s", c.Status)
		}
		for action, want := range map[string]int64{"course.publish": 2, "course.archive": 1, "course.update": 1} {
			if n := auditCount(t, gdb, action); n != want {
				t.Errorf("%d %s events, want %d", n, action, want)
			}
		}
	})
}

// TestConcurrentCycle runs "A requires B" and "B requires A" at the same
// time, many times: at most one of each pair may succeed.
func TestConcurrentCycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for i := range 8 {
			a, b := fmt.Sprintf("AA-%02d", i), fmt.Sprintf("BB-%02d", i)
			f.create(t, f.coordA, input(a))
			f.create(t, f.coordA, input(b))
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for j, pair := range [][2]string{{a, b}, {b, a}} {
				wg.Go(func() {
					_, errs[j] = f.svc.Update(f.ctx, f.coordA, pair[0], CoursePatch{Prerequisites: &[]string{pair[1]}})
				})
			}
			wg.Wait()
			if errs[0] == nil && errs[1] == nil {
				t.Fatalf("round %d: both %s → %s and %s → %s were accepted", i, a, b, b, a)
			}
			for _, err := range errs {
				if err != nil {
					apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteCycle)
				}
			}
		}
	})
}
