package catalog

import (
	"muster/internal/apperr/apperrtest"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
)

func TestCreateFieldMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for _, tc := range []struct {
			name  string
			edit  func(*CourseInput)
			field string
			key   string
		}{
			{"no code", func(in *CourseInput) { in.Code = " " }, "code", "validation.required"},
			{"code pattern", func(in *CourseInput) { in.Code = "C-1" }, "code", KeyCodeFormat},
			{"no title", func(in *CourseInput) { in.Title = "  " }, "title", "validation.required"},
			{"long title", func(in *CourseInput) { in.Title = strings.Repeat("ب", 201) }, "title", "validation.max_length"},
			{"long summary", func(in *CourseInput) { in.Summary = strings.Repeat("a", 501) }, "summary", "validation.max_length"},
			{"long description", func(in *CourseInput) { in.Description = strings.Repeat("ж", 20001) }, "description", "validation.max_length"},
			{"no discipline", func(in *CourseInput) { in.Discipline = "" }, "discipline", "validation.required"},
			{"bad discipline", func(in *CourseInput) { in.Discipline = "piracy" }, "discipline", "validation.oneof"},
			{"bad level", func(in *CourseInput) { in.Level = "expert" }, "level", "validation.oneof"},
			{"bad delivery", func(in *CourseInput) { in.Delivery = "by_post" }, "delivery", "validation.oneof"},
			{"no hours", func(in *CourseInput) { in.DurationHours = 0 }, "duration_hours", "validation.min"},
			{"too many hours", func(in *CourseInput) { in.DurationHours = 2001 }, "duration_hours", "validation.max"},
			{"no languages", func(in *CourseInput) { in.Languages = nil }, "languages", "validation.min_items"},
			{"unknown language", func(in *CourseInput) { in.Languages = []string{"fa", "xx"} }, "languages[1]", "validation.oneof"},
			{"repeated language", func(in *CourseInput) { in.Languages = []string{"fa", " FA"} }, "languages", "validation.unique"},
			{"repeated prerequisite", func(in *CourseInput) { in.Prerequisites = []string{"CN-101", "cn-101"} }, "prerequisites", "validation.unique"},
			{"blank prerequisite", func(in *CourseInput) { in.Prerequisites = []string{" "} }, "prerequisites[0]", "validation.required"},
			{"negative pass mark", func(in *CourseInput) { in.PassMark = -1 }, "pass_mark", "validation.min"},
			{"pass mark over 100", func(in *CourseInput) { in.PassMark = 101 }, "pass_mark", "validation.max"},
			{"attendance over 100", func(in *CourseInput) { in.MinAttendancePercent = 101 }, "min_attendance_percent", "validation.max"},
			{"negative attendance", func(in *CourseInput) { in.MinAttendancePercent = -5 }, "min_attendance_percent", "validation.min"},
			{"validity over 240", func(in *CourseInput) { in.ValidityMonths = 241 }, "validity_months", "validation.max"},
			{"bad status", func(in *CourseInput) { in.Status = "live" }, "status", "validation.oneof"},
			{"owner not a uuid", func(in *CourseInput) { in.OwnerAgencyID = "nope" }, "owner_agency_id", "validation.id"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := input("CN-101")
				tc.edit(&in)
				_, err := f.svc.Create(f.ctx, f.admin, withOwner(in, f.a))
				apperrtest.WantField(t, err, tc.field, tc.key)
			})
		}
		var n int64
		gdb.Model(&Course{}).Count(&n)
		if n != 0 || auditCount(t, gdb, "course.create") != 0 {
			t.Fatalf("refused input left %d courses", n)
		}
		// Limits count characters, not bytes: 200 Persian letters are fine.
		in := input("CN-101")
		in.Title = strings.Repeat("ب", 200)
		f.create(t, f.coordA, in)
	})
}

func withOwner(in CourseInput, owner string) CourseInput {
	if in.OwnerAgencyID == "" {
		in.OwnerAgencyID = owner
	}
	return in
}

func TestCreateCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		for _, code := range []string{"CN-1", "C-101", "CNCNCNC-101", "CN-10101", "CN101", "CN-101AB", "ЦН-101", "CN_101", "CN-1O1"} {
			_, err := f.svc.Create(f.ctx, f.coordA, input(code))
			fe := apperrtest.WantField(t, err, "code", KeyCodeFormat)
			if fe.Args["Example"] != "CN-101" {
				t.Errorf("%s: args = %v", code, fe.Args)
			}
		}
		for _, code := range []string{"cn-101", "BORDER-2001", "CT-22A", " ia-99 "} {
			c := f.create(t, f.coordA, input(code))
			if c.Code != strings.ToUpper(strings.TrimSpace(code)) {
				t.Errorf("stored code %q for %q", c.Code, code)
			}
		}
		// Codes are unique in any case, for coordinators of any agency.
		_, err := f.svc.Create(f.ctx, f.coordB, input("CN-101"))
		fe := apperrtest.WantField(t, err, "code", KeyCodeTaken)
		if fe.Args["Code"] != "CN-101" {
			t.Errorf("args = %v", fe.Args)
		}
		_, err = f.svc.Create(f.ctx, f.coordA, input("Ct-22a"))
		apperrtest.WantField(t, err, "code", KeyCodeTaken)
	})
}

func TestCreatePrerequisites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		f.create(t, f.coordA, input("CN-101"))
		_, err := f.svc.Create(f.ctx, f.coordA, input("CN-201", "cn-101", "XX-999", "YY-100"))
		fe := apperrtest.WantField(t, err, "prerequisites", KeyUnknownPrerequisites)
		if fe.Args["Codes"] != "XX-999, YY-100" {
			t.Errorf("codes = %v", fe.Args["Codes"])
		}
		// A course cannot require itself, even before it exists.
		_, err = f.svc.Create(f.ctx, f.coordA, input("CN-201", "CN-101", "cn-201"))
		fe = apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteCycle)
		if fe.Args["Cycle"] != "CN-201 → CN-201" {
			t.Errorf("cycle = %v", fe.Args["Cycle"])
		}
		// Another agency's draft is unknown to a coordinator, like a 404.
		draft := input("BS-101")
		draft.Status = StatusDraft
		f.create(t, f.coordB, draft)
		_, err = f.svc.Create(f.ctx, f.coordA, input("BS-201", "BS-101"))
		apperrtest.WantField(t, err, "prerequisites", KeyUnknownPrerequisites)
		// A published course may not require a draft, even of its own agency.
		draftA := input("CN-150")
		draftA.Status = StatusDraft
		f.create(t, f.coordA, draftA)
		_, err = f.svc.Create(f.ctx, f.coordA, input("CN-250", "CN-150"))
		apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteDraft)
		// ... and an admin may not make one agency's draft require another's.
		crossDraft := withOwner(input("BS-250", "BS-101"), f.a)
		crossDraft.Status = StatusDraft
		_, err = f.svc.Create(f.ctx, f.admin, crossDraft)
		apperrtest.WantField(t, err, "prerequisites", KeyPrerequisiteDraft)
		// A draft may require its own agency's draft.
		draftA2 := input("CN-250", "CN-150", "CN-101")
		draftA2.Status = StatusDraft
		f.create(t, f.coordA, draftA2)
		d, err := f.svc.Get(f.ctx, f.coordA, "cn-250")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Prerequisites) != 2 || d.Prerequisites[0].Code != "CN-101" || d.Prerequisites[1].Code != "CN-150" {
			t.Fatalf("prerequisites = %+v", d.Prerequisites)
		}
	})
}

func TestCreatePermissionsAndOwner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		_, err := f.svc.Create(f.ctx, f.trainee, input("CN-101"))
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		_, err = f.svc.Create(f.ctx, f.hrA, input("CN-101"))
		apperrtest.WantCode(t, err, apperr.CodeForbidden)
		_, err = f.svc.Create(f.ctx, f.anon, input("CN-101"))
		apperrtest.WantCode(t, err, apperr.CodeUnauthorized)
		_, err = f.svc.Create(f.ctx, actor("Stray", "", access.Coordinator), input("CN-101"))
		apperrtest.WantCode(t, err, apperr.CodeForbidden)

		// A coordinator's course belongs to their agency, and no other.
		c := f.create(t, f.coordA, input("CN-101"))
		if c.OwnerAgencyID != f.a {
			t.Fatalf("owner = %s, want %s", c.OwnerAgencyID, f.a)
		}
		_, err = f.svc.Create(f.ctx, f.coordA, withOwner(input("CN-102"), f.b))
		apperrtest.WantField(t, err, "owner_agency_id", KeyOwnerAgencyNotAllowed)

		// An admin without an agency names the owner, which must exist.
		_, err = f.svc.Create(f.ctx, f.admin, input("CN-102"))
		apperrtest.WantField(t, err, "owner_agency_id", "validation.required")
		_, err = f.svc.Create(f.ctx, f.admin, withOwner(input("CN-102"), "0190a5c4-0000-7000-8000-000000000000"))
		apperrtest.WantField(t, err, "owner_agency_id", KeyUnknownAgency)
		c = f.create(t, f.admin, withOwner(input("CN-102"), strings.ToUpper(f.b)))
		if c.OwnerAgencyID != f.b {
			t.Fatalf("owner = %s, want %s", c.OwnerAgencyID, f.b)
		}
	})
}

func TestCreateStoresAndAudits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := setup(t, gdb)
		in := input("cn-101")
		in.Status = ""
		in.Title = "  Охрана\x00 границ  "
		in.Description = "Первый абзац.\r\n\r\nВторой абзац.\x07"
		in.Languages = []string{"RU", "tg", "fa"}
		c := f.create(t, f.coordA, in)
		if c.Status != StatusDraft || c.Title != "Охрана границ" || c.Description != "Первый абзац.\n\nВторой абзац." {
			t.Fatalf("stored %+v", c)
		}
		if !c.CreatedAt.Equal(f.baseTime) || !c.UpdatedAt.Equal(f.baseTime) {
			t.Fatalf("times %v %v, want the clock's %v", c.CreatedAt, c.UpdatedAt, f.baseTime)
		}
		d, err := f.svc.Get(f.ctx, f.coordA, "CN-101")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(d.Languages, " ") != "fa ru tg" || d.OwnerAgencyID != f.a || !d.CreatedAt.Equal(f.baseTime) {
			t.Fatalf("detail %+v", d)
		}
		if n := auditCount(t, gdb, "course.create"); n != 1 {
			t.Fatalf("%d course.create events, want 1", n)
		}
		var ev struct{ SubjectID, AgencyID, ActorName, Details string }
		gdb.Table("audit_events").Where("action = ?", "course.create").Take(&ev)
		if ev.SubjectID != c.ID || ev.AgencyID != f.a || ev.ActorName != "Coordinator A" || !strings.Contains(ev.Details, "CN-101") {
			t.Fatalf("audit event %+v", ev)
		}
	})
}
