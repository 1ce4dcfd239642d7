package ops_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/apperr/apperrtest"
	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/testworld"
)

// TestPseudonymiseDisabledPerson: only a disabled person, only by an admin
// or their own agency's admin; what identifies them is replaced, their
// enrollment stays, the change is audited without the old details, and a
// second request changes nothing.
func TestPseudonymiseDisabledPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := testworld.New(t, gdb)
		ctx := w.Ctx
		agency, other := w.Agency("PS", "TJ"), w.Agency("PX", "IR")
		admin := w.Person(agency, "Agency Admin", access.AgencyAdmin)
		stranger := w.Person(other, "Other Admin", access.AgencyAdmin)
		coord := w.Person(agency, "Pseudo Coordinator", access.Coordinator)
		co := w.Cohort(coord, testworld.Plan{Course: w.Course(coord, testworld.Standard{}), StartsOn: "2026-05-04", EndsOn: "2026-05-08"})
		trainee, _ := w.Trainee(co, agency, "Rustam Nazarov")

		_, err := w.App.Identity.Pseudonymise(ctx, admin, trainee.UserID)
		if e := apperrtest.WantCode(t, err, apperr.CodeInvalid); e.Fields[0].Key != "user.pseudonymise_active" {
			t.Fatalf("an active person: %+v", e)
		}
		disabled := true
		if _, err := w.App.Identity.UpdateUser(ctx, admin, trainee.UserID, identity.UserPatch{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		_, err = w.App.Identity.Pseudonymise(ctx, stranger, trainee.UserID)
		apperrtest.WantCode(t, err, apperr.CodeNotFound)

		u, err := w.App.Identity.Pseudonymise(ctx, admin, trainee.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if u.FullName != identity.PseudonymName || !strings.HasPrefix(u.Email, "pseudonymised-") || u.ServiceNumber != "" || u.FullNameLatin != "" {
			t.Fatalf("pseudonymised person: %+v", u)
		}
		var left int64
		gdb.Raw("SELECT count(*) FROM users WHERE full_name = 'Rustam Nazarov' OR email LIKE 'person%' AND id = ?", trainee.UserID).Scan(&left)
		if left != 0 {
			t.Fatal("the old name or address is still stored")
		}
		var enrollments int64
		gdb.Raw("SELECT count(*) FROM enrollments WHERE user_id = ?", trainee.UserID).Scan(&enrollments)
		if enrollments != 1 {
			t.Fatalf("%d enrollments kept, want 1", enrollments)
		}
		if _, err := w.App.Identity.Pseudonymise(ctx, admin, trainee.UserID); err != nil {
			t.Fatal(err)
		}
		var events []audit.Event
		gdb.Where("action = ? AND subject_id = ?", identity.ActionPseudonymise, trainee.UserID).Find(&events)
		if len(events) != 1 || strings.Contains(events[0].Details, "Rustam") {
			t.Fatalf("pseudonymise events: %+v", events)
		}
	})
}
