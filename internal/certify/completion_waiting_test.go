package certify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/notify"
	"muster/internal/testworld"
)

// TestCompleteEndsWaitingRequestsThroughEnrollment is completion built
// through the real services: the seated trainees are judged, and every
// pending or waitlisted request ends as a cancelled cohort's would, with an
// enrollment.cancel audit event and a queued notice for each.
func TestCompleteEndsWaitingRequestsThroughEnrollment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := testworld.New(t, gdb)
		host := w.Agency("IR", "IR")
		coord := w.Person(host, "Host Coordinator", access.Coordinator)
		course := w.Course(coord, testworld.Standard{PassMark: 50, ValidityMonths: 24})
		c := w.Cohort(coord, testworld.Plan{Course: course, StartsOn: "2026-05-10", EndsOn: "2026-05-14", Capacity: 2, RequiresApproval: true})
		w.Sessions(coord, c, 2)

		approve := func(id string) string {
			t.Helper()
			row, err := w.App.Enroll.Approve(w.Ctx, coord, id)
			if err != nil {
				t.Fatal(err)
			}
			return row.Status
		}
		_, passes := w.Trainee(c, host, "A passes")
		_, fails := w.Trainee(c, host, "B fails")
		_, waits := w.Trainee(c, host, "C waitlisted")
		_, pending := w.Trainee(c, host, "D pending")
		for _, id := range []string{passes.ID, fails.ID} {
			if got := approve(id); got != enrollment.StatusEnrolled {
				t.Fatalf("approved into %s", got)
			}
		}
		if got := approve(waits.ID); got != enrollment.StatusWaitlisted {
			t.Fatalf("approved into a full cohort: %s", got)
		}

		w.At("2026-05-14")
		for id, score := range map[string]int{passes.ID: 80, fails.ID: 20} {
			if _, err := w.App.Certify.RecordResult(w.Ctx, coord, id, certify.ResultInput{Score: &score}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := w.App.Certify.Complete(w.Ctx, coord, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Passing != 1 || p.Failing != 1 || len(p.Cancelled) != 2 {
			t.Fatalf("plan: passing %d failing %d cancelled %d", p.Passing, p.Failing, len(p.Cancelled))
		}

		want := map[string]string{passes.ID: enrollment.StatusCompleted, fails.ID: enrollment.StatusFailed,
			waits.ID: enrollment.StatusCancelled, pending.ID: enrollment.StatusCancelled}
		for id, status := range want {
			var e enrollment.Enrollment
			if err := gdb.Where("id = ?", id).Take(&e).Error; err != nil {
				t.Fatal(err)
			}
			if e.Status != status {
				t.Errorf("enrollment %s is %s, want %s", id, e.Status, status)
			}
		}
		var done cohort.Cohort
		if err := gdb.Where("id = ?", c.ID).Take(&done).Error; err != nil {
			t.Fatal(err)
		}
		if done.Status != cohort.StatusCompleted || done.CompletedAt == nil {
			t.Fatalf("cohort %s, completed at %v", done.Status, done.CompletedAt)
		}

		for _, e := range []*enrollment.Row{waits, pending} {
			id, from := e.ID, map[string]string{waits.ID: enrollment.StatusWaitlisted, pending.ID: enrollment.StatusPending}[e.ID]
			var events []audit.Event
			if err := gdb.Where("subject_type = ? AND subject_id = ? AND action = ?", "enrollment", id, enrollment.ActionCancel).Find(&events).Error; err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 {
				t.Fatalf("%s: %d cancel events, want 1", from, len(events))
			}
			var details map[string]any
			if err := json.Unmarshal([]byte(events[0].Details), &details); err != nil {
				t.Fatal(err)
			}
			if details["from"] != from || details["to"] != enrollment.StatusCancelled || details["trigger"] != "cohort.complete" {
				t.Errorf("%s: audit details %v", from, details)
			}
			var notices []notify.Notification
			if err := gdb.Where("user_id = ? AND kind = ?", e.UserID, notify.KindClosed).Find(&notices).Error; err != nil {
				t.Fatal(err)
			}
			if len(notices) != 1 || notices[0].SentAt != nil || !strings.Contains(notices[0].Data, id) {
				t.Fatalf("%s: notices queued %+v, want one about %s", from, notices, id)
			}
		}
		// The scores were written by enrollment, each with its audit event.
		for _, id := range []string{passes.ID, fails.ID} {
			var n int64
			if err := gdb.Model(&audit.Event{}).Where("subject_id = ? AND action = ?", id, enrollment.ActionResult).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%d result events for %s", n, id)
			}
		}
	})
}
