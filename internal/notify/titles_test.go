package notify_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/db/dbtest"
	"muster/internal/notify"
)

// composeFor writes userID's notification of kind for r.
func (w *world) composeFor(userID, kind string, r notify.Recipient) notify.Message {
	w.t.Helper()
	for _, n := range w.outbox(userID) {
		if n.Kind == kind {
			msg, err := notify.Compose(catalogs, "https://muster.example", n, r)
			if err != nil {
				w.t.Fatal(err)
			}
			return msg
		}
	}
	w.t.Fatalf("no %s to %s", kind, userID)
	return notify.Message{}
}

// TestRemindersNameTheCourseInTheReadersLanguage: the session reminder,
// the expiry warning and the approvals digest name the course in each
// reader's language (Persian here, the course's own title for English)
// and give days in the reader's calendar.
func TestRemindersNameTheCourseInTheReadersLanguage(t *testing.T) {
	const persian = "عملیات میدانی مبارزه با مواد مخدر"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		w.course = w.tw.UpdateCourse(w.coord, w.course, catalog.CoursePatch{Translations: &catalog.Translations{"fa": {Title: persian}}})
		c := w.cohortFrom("2026-03-02", 5, false)
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		s := w.session(c, start, 3*time.Hour, "Route profiling", "")
		maryam := w.person("fa", "Maryam Karimi")
		w.userZone(maryam, "Asia/Tehran")
		w.request(maryam, c)
		if err := w.remind.RemindSession(w.ctx, notify.SessionReminderArgs{SessionID: s.ID, UserID: maryam.UserID, StartsAt: start}); err != nil {
			t.Fatal(err)
		}
		msg := w.composeFor(maryam.UserID, notify.KindSessionReminder, notify.Recipient{Language: "fa"})
		// 12:00 UTC on 2 March 2026 is 15:30 on 11 Esfand 1404 in Tehran.
		if !strings.Contains(msg.Subject, persian) || !strings.Contains(msg.Body, "۱۱ اسفند ۱۴۰۴ ۱۵:۳۰") || strings.Contains(msg.Body, "2026") {
			t.Errorf("Persian reminder: %q\n%s", msg.Subject, msg.Body)
		}
		if en := w.composeFor(maryam.UserID, notify.KindSessionReminder, notify.Recipient{Language: "en"}); !strings.Contains(en.Body, w.course.Title) {
			t.Errorf("English reminder lacks the course's own title:\n%s", en.Body)
		}

		// The course's certificates last twelve months: one issued to expire
		// in 30 days, on 31 March 2026, which is 11 Farvardin 1405.
		today := clock.Today(w.clock)
		holder := w.person("fa", "Sara Ahmadi")
		w.tw.Certificates(w.coord, w.course, today.AddDate(0, 0, 30).AddDate(-1, 0, 0), holder)
		if err := w.remind.Daily(w.ctx, today); err != nil {
			t.Fatal(err)
		}
		msg = w.composeFor(holder.UserID, notify.KindCertificateExpiring, notify.Recipient{Language: "fa"})
		if !strings.Contains(msg.Body, persian) || !strings.Contains(msg.Body, "۱۱ فروردین ۱۴۰۵") || strings.Contains(msg.Body, "2026-03-31") {
			t.Errorf("Persian expiry warning:\n%s", msg.Body)
		}

		approval := w.cohort(5, true)
		w.request(w.person("ru", "Waiting One"), approval)
		w.request(w.person("tg", "Waiting Two"), approval)
		boss := w.person("fa", "Persian Coordinator", access.Coordinator)
		if err := w.remind.Digest(w.ctx, notify.DigestArgs{UserID: boss.UserID, Day: "2026-03-01"}); err != nil {
			t.Fatal(err)
		}
		// The approval cohort starts on 22 March 2026, 2 Farvardin 1405.
		msg = w.composeFor(boss.UserID, notify.KindApprovalsWaiting, notify.Recipient{Language: "fa"})
		if !strings.Contains(msg.Body, persian) || !strings.Contains(msg.Body, approval.Code) || !strings.Contains(msg.Body, "۲ فروردین ۱۴۰۵") {
			t.Errorf("Persian digest:\n%s", msg.Body)
		}
		msg = w.composeFor(boss.UserID, notify.KindApprovalsWaiting, notify.Recipient{Language: "en"})
		if !strings.Contains(msg.Body, w.course.Title+" ("+approval.Code+"), starts 2026-03-22: 2") {
			t.Errorf("English digest:\n%s", msg.Body)
		}
	})
}
