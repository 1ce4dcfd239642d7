package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/jobs"
	"muster/internal/notify"
)

// TestFinishedJobsAndSentMailArePruned: with MUSTER_JOB_RETENTION=2h and
// MUSTER_MAIL_RETENTION_DAYS=1, an e-mail sent two days ago loses its
// finished job to the queue's cleaner and its outbox row to retention,
// while one sent now, and one still waiting with its job scheduled, keep
// both. River's cleaner reads the wall clock, so the test's clock stands
// on it.
func TestFinishedJobsAndSentMailArePruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		cfg, err := config.LoadFrom([]string{"MUSTER_JOB_RETENTION=2h", "MUSTER_MAIL_RETENTION_DAYS=1"})
		if err != nil {
			t.Fatal(err)
		}
		w := newWorld(t, gdb)
		wall := time.Now().UTC().Truncate(time.Second)
		w.clock.Set(wall.Add(-50 * time.Hour))
		mb := notify.StartMailbox(t, false, "")
		w.send.Mailer = mb.Mailer(t, notify.TLSNone)
		queue := func(retention time.Duration) *jobs.Queue {
			ws := river.NewWorkers()
			notify.AddWorkers(ws, w.send, w.remind)
			q, err := jobs.New(gdb, w.clock, jobs.Config{Workers: ws, Logger: quiet, Poll: 20 * time.Millisecond, Retention: retention})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(w.ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { stop(q) })
			return q
		}
		// The first process keeps finished jobs a week, so they stay until the second's cleaner runs.
		first := queue(7 * 24 * time.Hour)
		w.box.Jobs = first
		old, recent, waiting := w.person("en", "Old"), w.person("en", "Recent"), w.person("en", "Waiting")
		digest := func(userID string) {
			t.Helper()
			if err := db.Tx(w.ctx, gdb, w.clock, func(tx *gorm.DB) error {
				return w.box.Enqueue(tx, userID, notify.KindApprovalsWaiting, map[string]any{"count": 1})
			}); err != nil {
				t.Fatal(err)
			}
		}
		digest(old.UserID)
		waitSent(t, gdb, 1)

		// Now: one sent at once, and one waiting whose job is not due for weeks.
		w.clock.Set(wall)
		digest(recent.UserID)
		waitSent(t, gdb, 2)
		err = db.Tx(w.ctx, gdb, w.clock, func(tx *gorm.DB) error {
			if err := (&notify.Outbox{Clock: w.clock}).Enqueue(tx, waiting.UserID, notify.KindApprovalsWaiting, map[string]any{"count": 1}); err != nil {
				return err
			}
			var n notify.Notification
			if err := tx.Where("user_id = ?", waiting.UserID).Take(&n).Error; err != nil {
				return err
			}
			return first.Insert(tx, notify.SendArgs{NotificationID: n.ID}, &river.InsertOpts{ScheduledAt: wall.Add(30 * 24 * time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		// River records a job completed shortly after it returns.
		deadline := time.Now().Add(20 * time.Second)
		for jobCount(t, gdb, "completed") < 2 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := jobCount(t, gdb, "completed"); n != 2 {
			t.Fatalf("%d completed jobs before pruning, want 2", n)
		}

		// A new leader's cleaner runs at once.
		stop(first)
		queue(cfg.JobRetention)
		deadline = time.Now().Add(30 * time.Second)
		for jobCount(t, gdb, "completed") > 1 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n := jobCount(t, gdb, "completed"); n != 1 {
			t.Errorf("%d completed jobs after the cleaner ran, want 1 (the recent one)", n)
		}
		if n := jobCount(t, gdb, "scheduled"); n != 1 {
			t.Errorf("%d scheduled jobs, want the waiting e-mail's", n)
		}

		var pruned int64
		err = db.Tx(w.ctx, gdb, w.clock, func(tx *gorm.DB) error {
			pruned, err = notify.PruneFinished(tx, db.Now(tx, w.clock).AddDate(0, 0, -cfg.MailRetentionDays))
			return err
		})
		if err != nil || pruned != 1 {
			t.Fatalf("pruned %d e-mails (%v), want 1", pruned, err)
		}
		for who, want := range map[string]int{"old": 0, "recent": 1, "waiting": 1} {
			id := map[string]string{"old": old.UserID, "recent": recent.UserID, "waiting": waiting.UserID}[who]
			if n := len(w.outbox(id)); n != want {
				t.Errorf("%s e-mails kept: %d, want %d", who, n, want)
			}
		}
	})
}

// stop stops q, letting running jobs finish.
func stop(q *jobs.Queue) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = q.Stop(ctx)
}

// jobCount counts the queue's jobs in state.
func jobCount(t *testing.T, gdb *gorm.DB, state string) int64 {
	t.Helper()
	var n int64
	if err := gdb.Table("river_job").Where("state = ?", state).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
