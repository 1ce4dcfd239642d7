package ops_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/notify"
	"muster/internal/ops"
	"muster/internal/testworld"
)

// TestRetentionRemovesWhatAgedOut: e-mails sent or given up before the mail
// period and throttle windows before theirs are removed, with one audit
// event; e-mails still waiting or sent recently stay; audit events are only
// counted as due for archiving, and a second run removes nothing.
func TestRetentionRemovesWhatAgedOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := testworld.New(t, gdb)
		ctx := w.Ctx
		agency := w.Agency("RT", "TJ")
		coord := w.Person(agency, "Retention Coordinator", access.Coordinator)
		co := w.Cohort(coord, testworld.Plan{Course: w.Course(coord, testworld.Standard{}), StartsOn: "2026-05-04", EndsOn: "2026-05-08"})
		for _, name := range []string{"Old Sent", "Old Failed", "Waiting", "Recent Sent"} {
			w.Trainee(co, agency, name)
		}
		mailOf := func(name string) string {
			var id string
			gdb.Raw("SELECT n.id FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.full_name = ? AND n.kind = ?", name, notify.KindEnrolled).Scan(&id)
			if id == "" {
				t.Fatalf("no enrollment e-mail for %s", name)
			}
			return id
		}
		long := testworld.Start.Add(-200 * 24 * time.Hour)
		gdb.Exec("UPDATE notifications SET sent_at = ?, next_attempt_at = NULL WHERE id = ?", long, mailOf("Old Sent"))
		gdb.Exec("UPDATE notifications SET created_at = ?, next_attempt_at = NULL, last_error = 'refused' WHERE id = ?", long, mailOf("Old Failed"))
		gdb.Exec("UPDATE notifications SET sent_at = ?, next_attempt_at = NULL WHERE id = ?", testworld.Start, mailOf("Recent Sent"))
		if err := w.App.Identity.Throttle(ctx, "login:someone@example.org", 5, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
		w.Clock.Advance(48 * time.Hour)
		if err := w.App.Identity.Throttle(ctx, "login:other@example.org", 5, 5*time.Minute); err != nil {
			t.Fatal(err)
		}

		periods := ops.Retention{Audit: ops.MinAuditRetention, Mail: 90 * 24 * time.Hour, Throttle: 24 * time.Hour}
		rep, err := ops.RunRetention(ctx, gdb, w.Clock, periods)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Mail != 2 || rep.Throttle != 1 || rep.AuditDue != 0 {
			t.Fatalf("first run: %+v, want 2 e-mails, 1 window, no audit due", rep)
		}
		for name, want := range map[string]int64{"Old Sent": 0, "Old Failed": 0, "Waiting": 1, "Recent Sent": 1} {
			var n int64
			gdb.Raw("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.full_name = ? AND n.kind = ?", name, notify.KindEnrolled).Scan(&n)
			if n != want {
				t.Errorf("%s: %d e-mails left, want %d", name, n, want)
			}
		}
		var windows int64
		gdb.Model(&identity.ThrottleWindow{}).Count(&windows)
		if windows != 1 {
			t.Errorf("%d throttle windows left, want the recent one", windows)
		}
		var events []audit.Event
		gdb.Where("action = ?", ops.ActionRetention).Find(&events)
		if len(events) != 1 {
			t.Fatalf("%d retention events, want 1", len(events))
		}

		w.Clock.Advance(400 * 24 * time.Hour)
		rep, err = ops.RunRetention(ctx, gdb, w.Clock, periods)
		if err != nil {
			t.Fatal(err)
		}
		var all int64
		gdb.Model(&audit.Event{}).Count(&all)
		if rep.AuditDue == 0 || rep.AuditDue > all || !rep.AuditBefore.Equal(ops.AuditCutoff(w.Clock.Now(), periods.Audit)) {
			t.Fatalf("a year on: %+v of %d events", rep, all)
		}
		var after int64
		gdb.Model(&audit.Event{}).Count(&after)
		if after != all {
			t.Fatal("retention removed audit events")
		}
		rep, err = ops.RunRetention(ctx, gdb, w.Clock, periods)
		if err != nil || rep.Mail+rep.Throttle != 0 {
			t.Fatalf("a run with nothing left to remove: %+v %v", rep, err)
		}
	})
}

// TestAuditCutoffKeepsAYear: a shorter period than a year is raised to one.
func TestAuditCutoffKeepsAYear(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	if got := ops.AuditCutoff(now, 24*time.Hour); !got.Equal(time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("cutoff for a day's period = %s", got)
	}
	if got := ops.AuditCutoff(now, 730*24*time.Hour); !got.Equal(time.Date(2024, 12, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("cutoff for two years = %s", got)
	}
}
