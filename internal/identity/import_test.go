package identity

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
)

const goodCSV = "\ufeffemail;full_name;full_name_latin;rank;service_number;roles;language\n" +
	"reza@example.ir;رضا حسینی;Reza Hosseini;ستوان;IR-501;trainee;fa\n" +
	"umed@example.ir;Умед Назаров;Umed Nazarov;лейтенант;IR-502;trainee|instructor;tg\n"

func TestImportPreviewCommitIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		hr := f.user(t, f.ir, "aa@example.ir", access.AgencyAdmin) // grants instructor

		plan, err := f.svc.PreviewImport(ctx, f.actor(hr), "", strings.NewReader(goodCSV))
		if err != nil || plan.Created != 2 || plan.Failed != 0 {
			t.Fatalf("preview: %+v %v", plan, err)
		}
		var n int64
		gdb.Model(&User{}).Where("email_key IN ?", []string{"reza@example.ir", "umed@example.ir"}).Count(&n)
		if n != 0 {
			t.Fatal("the preview wrote users")
		}
		if _, err := f.svc.CommitImport(ctx, f.actor(hr), "", strings.NewReader(goodCSV)); err != nil {
			t.Fatal(err)
		}
		var reza, umed User
		gdb.Preload("Roles").Where("email_key = ?", "reza@example.ir").Take(&reza)
		gdb.Preload("Roles").Where("email_key = ?", "umed@example.ir").Take(&umed)
		// Persian and Tajik Cyrillic names round-trip exactly.
		if reza.FullName != "رضا حسینی" || reza.Rank != "ستوان" || umed.FullName != "Умед Назаров" || len(umed.Roles) != 2 {
			t.Fatalf("stored %q %q %q roles %d", reza.FullName, reza.Rank, umed.FullName, len(umed.Roles))
		}
		if auditCount(t, gdb, "user.import", f.ir.ID) != 1 || auditCount(t, gdb, "user.create", reza.ID) != 1 {
			t.Fatal("import not audited")
		}
		// The same file again changes nothing.
		plan, err = f.svc.CommitImport(ctx, f.actor(hr), "", strings.NewReader(goodCSV))
		if err != nil || plan.Unchanged != 2 || plan.Created+plan.Updated != 0 {
			t.Fatalf("re-import: %+v %v", plan, err)
		}
		if auditCount(t, gdb, "user.import", f.ir.ID) != 1 {
			t.Fatal("a no-op import was audited as a change")
		}
		// A changed rank is an update.
		changed := strings.Replace(goodCSV, "ستوان;IR-501", "سروان;IR-501", 1)
		plan, err = f.svc.CommitImport(ctx, f.actor(hr), "", strings.NewReader(changed))
		if err != nil || plan.Updated != 1 || plan.Unchanged != 1 {
			t.Fatalf("update import: %+v %v", plan, err)
		}
	})
}

func TestImportAllOrNothingWithRowErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		f := newFixture(t, gdb)
		coord := f.user(t, f.tj, "coord@example.tj", access.Coordinator)
		bad := "email,full_name,roles\n" +
			"ok@example.tj,Ok Person,trainee\n" +
			"not-an-email,Bad Email,trainee\n" +
			"boss@example.tj,Boss,admin\n" +
			"ok@example.tj,Duplicate,trainee\n" +
			"blank@example.tj,,trainee\n"
		plan, err := f.svc.CommitImport(ctx, f.actor(coord), "", strings.NewReader(bad))
		if apperr.CodeOf(err) != apperr.CodeInvalid {
			t.Fatalf("want invalid, got %v", err)
		}
		fields := map[string]bool{}
		for _, fe := range mustAs(t, err).Fields {
			fields[fe.Field] = true
		}
		for _, want := range []string{"row 3, column email", "row 4, column roles", "row 5, column email", "row 6, column full_name"} {
			if !fields[want] {
				t.Errorf("missing error %q in %v", want, fields)
			}
		}
		if plan.Failed != 4 {
			t.Errorf("failed rows = %d", plan.Failed)
		}
		// Within its row, a reason names just the column.
		if errs := plan.Rows[1].Errors; len(errs) != 1 || errs[0].Field != "email" || errs[0].Key != "validation.email" {
			t.Errorf("row 3 reasons: %+v", errs)
		}
		var n int64
		gdb.Model(&User{}).Where("email_key = ?", "ok@example.tj").Count(&n)
		if n != 0 {
			t.Fatal("a good row was written although others failed")
		}
		for name, csv := range map[string]string{
			"unknown column": "email,full_name,salary\na@b.tj,A,1\n",
			"missing column": "email\na@b.tj\n",
			"empty":          "",
			"broken quotes":  "email,full_name\n\"a@b.tj,A\n",
		} {
			if _, err := f.svc.PreviewImport(ctx, f.actor(coord), "", strings.NewReader(csv)); apperr.CodeOf(err) != apperr.CodeInvalid {
				t.Errorf("%s: %v", name, err)
			}
		}
		// Another agency's list is out of scope.
		if _, err := f.svc.PreviewImport(ctx, f.actor(coord), f.ir.ID, strings.NewReader(goodCSV)); apperr.CodeOf(err) != apperr.CodeNotFound {
			t.Fatalf("other agency import: %v", err)
		}
	})
}
