package notify_test

import (
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/notify"
)

// notifierFunc lets a test stand between the enrollment service and the outbox.
type notifierFunc func(tx *gorm.DB, n enrollment.Notice) error

func (f notifierFunc) Notify(tx *gorm.DB, n enrollment.Notice) error { return f(tx, n) }

// TestEveryEnrollmentEventIsQueued walks each event a trainee is told of
// through the enrollment service and checks the outbox row each leaves.
func TestEveryEnrollmentEventIsQueued(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		open, approval := w.cohort(1, false), w.cohort(1, true)
		a, b, c := w.person("ru", "Alisher"), w.person("tg", "Bahrom"), w.person("fa", "Cyrus")
		d, e, f, g := w.person("en", "Dana"), w.person("en", "Elham"), w.person("en", "Farrukh"), w.person("en", "Gulnora")

		// a takes the open cohort's seat; b and c wait, 1st and 2nd.
		ra := w.request(a, open)
		w.request(b, open)
		w.request(c, open)
		// d, e and f wait for approval in the other.
		rd, re, rf := w.request(d, approval), w.request(e, approval), w.request(f, approval)
		// A coordinator withdraws a, which promotes b.
		must(t)(w.enroll.Withdraw(w.ctx, w.coord, ra.ID, enrollment.Decision{Reason: "Reassigned to border duty"}))
		// d gets the seat, e is refused, f is approved when the cohort is full.
		must(t)(w.enroll.Approve(w.ctx, w.coord, rd.ID))
		must(t)(w.enroll.Reject(w.ctx, w.coord, re.ID, enrollment.Decision{Reason: "Prerequisite training first"}))
		must(t)(w.enroll.Approve(w.ctx, w.coord, rf.ID))
		if _, err := w.enroll.Enroll(w.ctx, w.coord, w.cohort(5, true).ID, enrollment.Request{UserID: g.UserID}); err != nil {
			t.Fatal(err) // a nomination counts as approval: a seat
		}
		if err := w.enroll.CohortCancelled(w.ctx, nil, w.coord, open.ID); err != nil {
			t.Fatal(err) // b (seated) and c (waiting) are told
		}

		want := []struct {
			who      access.Actor
			kinds    string
			position float64 // of the waitlisted notice
			reason   string  // of the last notice
		}{
			{a, "enrolled withdrawn", 0, "Reassigned to border duty"},
			{b, "waitlisted promoted cancelled", 1, ""},
			{c, "waitlisted cancelled", 2, ""},
			{d, "pending approved", 0, ""},
			{e, "pending rejected", 0, "Prerequisite training first"},
			{f, "pending waitlisted", 1, ""},
			{g, "enrolled", 0, ""},
		}
		for _, x := range want {
			ns := w.outbox(x.who.UserID)
			var kinds []string
			for _, n := range ns {
				kinds = append(kinds, strings.TrimPrefix(n.Kind, "enrollment."))
				m := facts(t, n)
				if m["course_title"] != w.course.Title || m["starts_on"] != "2026-03-22" || m["ends_on"] != "2026-03-26" || m["cohort_code"] == "" {
					t.Errorf("%s %s: facts %v", x.who.Name, n.Kind, m)
				}
				if n.Kind == notify.KindWaitlisted && m["position"] != x.position {
					t.Errorf("%s waitlisted at %v, want %v", x.who.Name, m["position"], x.position)
				}
				if n.NextAttemptAt == nil || n.SentAt != nil || n.Attempts != 0 {
					t.Errorf("%s %s is not waiting to be sent: %+v", x.who.Name, n.Kind, n)
				}
			}
			if got := strings.Join(kinds, " "); got != x.kinds {
				t.Errorf("%s was told %q, want %q", x.who.Name, got, x.kinds)
				continue
			}
			if last := facts(t, ns[len(ns)-1]); (last["reason"] == nil && x.reason != "") || (last["reason"] != nil && last["reason"] != x.reason) {
				t.Errorf("%s: reason %v, want %q", x.who.Name, last["reason"], x.reason)
			}
		}
	})
}

// TestRolledBackDecisionTellsNobody proves the outbox row lives and dies
// with the decision's transaction.
func TestRolledBackDecisionTellsNobody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c := w.cohort(1, false)
		seated, waiting := w.person("ru", "Ivan Ivanov"), w.person("fa", "Maryam Karimi")

		// A previewed nomination list runs every request, then rolls back.
		plan, err := w.enroll.Nominate(w.ctx, w.coord, c.ID, strings.NewReader(w.email(seated)+"\n"), false)
		if err != nil || plan.Enrolled != 1 || plan.Committed {
			t.Fatalf("preview: %+v %v", plan, err)
		}
		if n := w.count(); n != 0 {
			t.Fatalf("a previewed nomination left %d notifications", n)
		}

		row := w.request(seated, c)
		w.request(waiting, c)
		if n := w.count(); n != 2 {
			t.Fatalf("%d notifications after two requests, want 2", n)
		}
		// The withdrawal promotes the waiting trainee, then fails: nothing of it may stay.
		outbox := w.enroll.Notifier
		boom := errors.New("the transaction fails after the promotion was queued")
		w.enroll.Notifier = notifierFunc(func(tx *gorm.DB, n enrollment.Notice) error {
			if err := outbox.Notify(tx, n); err != nil {
				return err
			}
			if n.Kind == enrollment.NoticePromoted {
				return boom
			}
			return nil
		})
		if _, err := w.enroll.Withdraw(w.ctx, w.coord, row.ID, enrollment.Decision{}); !errors.Is(err, boom) {
			t.Fatalf("withdraw: %v", err)
		}
		if n := w.count(); n != 2 {
			t.Errorf("a rolled-back withdrawal left %d notifications, want the 2 of before", n)
		}
		var e enrollment.Enrollment
		if err := gdb.Where("id = ?", row.ID).Take(&e).Error; err != nil || e.Status != enrollment.StatusEnrolled {
			t.Errorf("withdrawal was not rolled back: %s %v", e.Status, err)
		}
	})
}

func must(t *testing.T) func(*enrollment.Row, error) {
	t.Helper()
	return func(_ *enrollment.Row, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}
