package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/db"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/notify"
)

// TestPromotionIsToldOverSMTP follows the waitlist rule end to end: a
// trainee who withdraws frees a seat, the waiting trainee is promoted and
// the outbox row is written in that transaction; the sender then delivers
// it over SMTP in the trainee's language and marks it sent.
func TestPromotionIsToldOverSMTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c := w.cohort(1, false)
		seated, waiting := w.person("ru", "Ivan Ivanov"), w.person("fa", "Maryam Karimi")
		row := w.request(seated, c)
		if got := w.request(waiting, c); got.Status != enrollment.StatusWaitlisted {
			t.Fatalf("second request: %s", got.Status)
		}

		// Look from inside the withdrawal's transaction and from outside it.
		outbox := w.enroll.Notifier
		var inside, outside int64 = -1, -1
		w.enroll.Notifier = notifierFunc(func(tx *gorm.DB, n enrollment.Notice) error {
			if err := outbox.Notify(tx, n); err != nil {
				return err
			}
			if n.Kind == enrollment.NoticePromoted {
				promoted := func(q *gorm.DB) *gorm.DB {
					return q.Model(&notify.Notification{}).Where("user_id = ? AND kind = ?", waiting.UserID, notify.KindPromoted)
				}
				if err := promoted(tx).Count(&inside).Error; err != nil {
					return err
				}
				return promoted(gdb).Count(&outside).Error
			}
			return nil
		})
		if _, err := w.enroll.Withdraw(w.ctx, seated, row.ID, enrollment.Decision{}); err != nil {
			t.Fatal(err)
		}
		if inside != 1 || outside != 0 {
			t.Fatalf("promotion notice: %d inside the transaction, %d visible outside before commit; want 1 and 0", inside, outside)
		}
		if n := len(w.outbox(seated.UserID)); n != 1 {
			t.Errorf("a trainee who withdraws is not told of it: %d notifications", n) // only of the seat
		}

		mb := notify.StartMailbox(t, false, "")
		w.start(mb.Mailer(t, notify.TLSNone))
		waitFor(t, mb, 3)
		waitSent(t, gdb, 3)
		got := mb.Messages()
		if len(got) != 3 {
			t.Fatalf("server received %d messages, want 3", len(got))
		}
		var promotion *notify.Delivery
		for i := range got {
			if _, subject, _ := notify.Read(t, got[i]); strings.HasPrefix(subject, "جایی برای شما خالی شد") {
				promotion = &got[i]
			}
		}
		if promotion == nil {
			t.Fatal("no Persian promotion message received")
		}
		if to := promotion.To; len(to) != 1 || to[0] != w.email(waiting) {
			t.Errorf("promotion went to %v, want %s", to, w.email(waiting))
		}
		if _, _, body := notify.Read(t, *promotion); !strings.Contains(body, "\u2068"+c.Code+"\u2069") || !strings.Contains(body, "فهرست انتظار") {
			t.Errorf("promotion body:\n%s", body)
		}
		for _, n := range append(w.outbox(waiting.UserID), w.outbox(seated.UserID)...) {
			if n.SentAt == nil || !n.SentAt.Equal(w.clock.Now()) || n.NextAttemptAt != nil || n.Attempts != 1 || n.LastError != "" {
				t.Errorf("%s not marked sent: %+v", n.Kind, n)
			}
		}
	})
}

// TestSenderRetriesWithBackoffThenGivesUp covers a server that answers
// 4xx (retried after a growing wait), 5xx (given up at once), the bound on
// attempts, a recipient whose account was disabled, and stale news.
func TestSenderRetriesWithBackoffThenGivesUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		ivan := w.person("ru", "Ivan Ivanov")
		mb := notify.StartMailbox(t, false, "")
		s := w.sender(mb.Mailer(t, notify.TLSNone))
		s.MaxAttempts = 3
		queue := func() notify.Notification {
			t.Helper()
			o := &notify.Outbox{Clock: w.clock}
			err := db.Tx(w.ctx, gdb, w.clock, func(tx *gorm.DB) error {
				return o.Enqueue(tx, ivan.UserID, notify.KindPromoted, map[string]any{"cohort_code": "CN-DYU-1", "course_title": "Border patrol"})
			})
			if err != nil {
				t.Fatal(err)
			}
			ns := w.outbox(ivan.UserID)
			return ns[len(ns)-1]
		}
		reload := func(n notify.Notification) notify.Notification {
			t.Helper()
			var got notify.Notification
			if err := gdb.Where("id = ?", n.ID).Take(&got).Error; err != nil {
				t.Fatal(err)
			}
			return got
		}
		// deliver works n's job once, as the queue would, and checks what it answers the queue.
		deliver := func(n notify.Notification, want string) {
			t.Helper()
			err := s.Deliver(w.ctx, n.ID)
			var cancel *river.JobCancelError
			got := "done"
			if errors.As(err, &cancel) {
				got = "cancel"
			} else if err != nil {
				got = "retry"
			}
			if got != want {
				t.Fatalf("job answered %s (%v), want %s", got, err, want)
			}
		}

		n := queue()
		mb.Refuse(notify.TempFailure)
		deliver(n, "retry")
		got := reload(n)
		if got.Attempts != 1 || got.SentAt != nil || got.NextAttemptAt == nil || !got.NextAttemptAt.Equal(w.clock.Now().Add(time.Minute)) ||
			!strings.Contains(got.LastError, "451") {
			t.Fatalf("after a 451: %+v", got)
		}
		w.clock.Advance(time.Minute)
		deliver(n, "retry")
		if got = reload(n); got.Attempts != 2 || !got.NextAttemptAt.Equal(w.clock.Now().Add(2*time.Minute)) {
			t.Fatalf("the second wait does not double: %+v", got)
		}
		mb.Refuse(nil)
		w.clock.Advance(2 * time.Minute)
		deliver(n, "done")
		if got = reload(n); got.SentAt == nil || got.NextAttemptAt != nil || got.LastError != "" || len(mb.Messages()) != 1 {
			t.Fatalf("after the server recovered: %+v, %d received", got, len(mb.Messages()))
		}

		// A permanent refusal is not retried.
		n = queue()
		mb.Refuse(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"})
		deliver(n, "cancel")
		if got = reload(n); got.NextAttemptAt != nil || got.SentAt != nil || !strings.Contains(got.LastError, "550") {
			t.Fatalf("after a 550: %+v", got)
		}

		// Temporary failures stop after MaxAttempts.
		n = queue()
		mb.Refuse(notify.TempFailure)
		for i, want := range []string{"retry", "retry", "cancel"} {
			deliver(n, want)
			w.clock.Advance(notify.Backoff(i + 1))
		}
		deliver(n, "done") // given up: nothing left to do
		if got = reload(n); got.Attempts != 3 || got.NextAttemptAt != nil || got.SentAt != nil {
			t.Fatalf("after %d attempts: %+v", s.MaxAttempts, got)
		}

		// A disabled account is not written to.
		mb.Refuse(nil)
		n = queue()
		w.disable(ivan, true)
		deliver(n, "cancel")
		if got = reload(n); got.NextAttemptAt != nil || got.SentAt != nil || !strings.Contains(got.LastError, "disabled") || len(mb.Messages()) != 1 {
			t.Fatalf("disabled recipient: %+v, %d received", got, len(mb.Messages()))
		}

		// News older than MaxAge is not sent, as when mail is turned on after a while.
		w.disable(ivan, false)
		n = queue()
		w.clock.Advance(73 * time.Hour)
		deliver(n, "cancel")
		if got = reload(n); got.NextAttemptAt != nil || got.SentAt != nil || !strings.Contains(got.LastError, "too old") || len(mb.Messages()) != 1 {
			t.Fatalf("stale notification: %+v, %d received", got, len(mb.Messages()))
		}
	})
}

// TestTwoSendersDeliverEachNotificationOnce runs two senders, each with its
// own connection pool as two processes would have, over one outbox.
func TestTwoSendersDeliverEachNotificationOnce(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": dbtest.SQLiteURL, "postgres": dbtest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			one, two := dbtest.Open(t, u), dbtest.Open(t, u)
			w := newWorld(t, one)
			people := []string{w.person("ru", "Ivan").UserID, w.person("fa", "Maryam").UserID, w.person("tg", "Bahrom").UserID}
			const total = 30
			o := w.box
			err := db.Tx(w.ctx, one, w.clock, func(tx *gorm.DB) error {
				for i := range total {
					if err := o.Enqueue(tx, people[i%3], notify.KindEnrolled, map[string]any{"cohort_code": "CN-DYU-1", "course_title": "Border patrol"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			mb := notify.StartMailbox(t, false, "")
			// Two queue clients, each with its own pool as two processes would have.
			for _, gdb := range []*gorm.DB{one, two} {
				s := &notify.Sender{DB: gdb, Clock: w.clock, Mailer: slowMailer{mb.Mailer(t, notify.TLSNone)}, Messages: catalogs, Logger: quiet, BaseURL: "https://muster.example"}
				q := newQueue(t, gdb, w.clock, s, &notify.Reminders{DB: gdb, Clock: w.clock, Outbox: w.box})
				if err := q.Start(w.ctx); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, mb, total)
			waitSent(t, one, total)
			ids := map[string]int{}
			for _, d := range mb.Messages() {
				h, _, _ := notify.Read(t, d)
				ids[h.Get("Message-Id")]++
			}
			if len(mb.Messages()) != total || len(ids) != total {
				t.Errorf("server received %d messages with %d distinct ids, want %d each", len(mb.Messages()), len(ids), total)
			}
			var unsent int64
			if err := one.Model(&notify.Notification{}).Where("sent_at IS NULL").Count(&unsent).Error; err != nil || unsent != 0 {
				t.Errorf("%d notifications left unsent: %v", unsent, err)
			}
		})
	}
}

// slowMailer holds each batch a moment, so the two senders overlap.
type slowMailer struct{ notify.Mailer }

func (m slowMailer) Send(ctx context.Context, msgs []notify.Message) []error {
	time.Sleep(3 * time.Millisecond)
	return m.Mailer.Send(ctx, msgs)
}

// waitSent waits until n notifications are marked sent, for at most 20 seconds.
func waitSent(t *testing.T, gdb *gorm.DB, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var sent int64
	for time.Now().Before(deadline) {
		if err := gdb.Model(&notify.Notification{}).Where("sent_at IS NOT NULL").Count(&sent).Error; err != nil {
			t.Fatal(err)
		}
		if sent >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d notifications marked sent, want %d", sent, n)
}
