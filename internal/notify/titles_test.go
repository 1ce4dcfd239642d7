package notify

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
)

// courseInPersian gives the world's course a Persian title.
func (w *world) courseInPersian(title string) {
	w.t.Helper()
	tr := catalog.Translations{"fa": {Title: title}}
	if err := w.gdb.Model(&catalog.Course{}).Where("id = ?", w.course.ID).Update("translations", tr).Error; err != nil {
		w.t.Fatal(err)
	}
}

// composeFor writes userID's latest notification of kind for r.
func (w *world) composeFor(userID, kind string, r recipient) Message {
	w.t.Helper()
	for _, n := range w.outbox(userID) {
		if n.Kind == kind {
			msg, err := compose(catalogs, "https://muster.example", n, r)
			if err != nil {
				w.t.Fatal(err)
			}
			return msg
		}
	}
	w.t.Fatalf("no %s to %s", kind, userID)
	return Message{}
}

// TestRemindersNameTheCourseInTheReadersLanguage: the session reminder,
// the expiry warning and the approvals digest name the course in each
// reader's language (Persian here, the course's own title for English)
// and give days in the reader's calendar.
func TestRemindersNameTheCourseInTheReadersLanguage(t *testing.T) {
	const persian = "عملیات میدانی مبارزه با مواد مخدر"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		w.courseInPersian(persian)
		c := w.cohort(5, false)
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		now := w.clock.Now()
		s := cohort.Session{ID: uuid.NewString(), CohortID: c.ID, StartsAt: start, EndsAt: start.Add(3 * time.Hour), Topic: "Route profiling",
			CreatedAt: now, UpdatedAt: now}
		if err := gdb.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
		maryam := w.person("fa", "Maryam Karimi")
		w.setZone("users", maryam.UserID, "Asia/Tehran")
		e := w.request(maryam, c)
		if err := w.remind.RemindSession(w.ctx, SessionReminderArgs{SessionID: s.ID, UserID: maryam.UserID, StartsAt: start}); err != nil {
			t.Fatal(err)
		}
		msg := w.composeFor(maryam.UserID, KindSessionReminder, recipient{Language: "fa"})
		// 12:00 UTC on 2 March 2026 is 15:30 on 11 Esfand 1404 in Tehran.
		if !strings.Contains(msg.Subject, persian) || !strings.Contains(msg.Body, "۱۱ اسفند ۱۴۰۴ ۱۵:۳۰") || strings.Contains(msg.Body, "2026") {
			t.Errorf("Persian reminder: %q\n%s", msg.Subject, msg.Body)
		}
		if en := w.composeFor(maryam.UserID, KindSessionReminder, recipient{Language: "en"}); !strings.Contains(en.Body, w.course.Title) {
			t.Errorf("English reminder lacks the course's own title:\n%s", en.Body)
		}

		today := clock.Today(w.clock)
		expires := today.AddDate(0, 0, 30)
		cert := certify.Certificate{ID: uuid.NewString(), Number: fmt.Sprintf("MUS-2026-%06d", serial.Add(1)), Year: 2026, Seq: int(serial.Add(1)),
			VerificationCode: uuid.NewString(), UserID: maryam.UserID, CourseID: w.course.ID, CohortID: c.ID, EnrollmentID: e.ID,
			HostAgencyID: w.agency, HolderName: maryam.Name, IssuedOn: today.AddDate(-1, 0, 0), ExpiresOn: &expires, CreatedAt: now}
		if err := gdb.Create(&cert).Error; err != nil {
			t.Fatal(err)
		}
		if err := w.remind.Daily(w.ctx, today); err != nil {
			t.Fatal(err)
		}
		// 31 March 2026 is 11 Farvardin 1405.
		msg = w.composeFor(maryam.UserID, KindCertificateExpiring, recipient{Language: "fa"})
		if !strings.Contains(msg.Body, persian) || !strings.Contains(msg.Body, "۱۱ فروردین ۱۴۰۵") || strings.Contains(msg.Body, "2026-03-31") {
			t.Errorf("Persian expiry warning:\n%s", msg.Body)
		}

		approval := w.cohort(5, true)
		w.request(w.person("ru", "Waiting One"), approval)
		w.request(w.person("tg", "Waiting Two"), approval)
		boss := w.person("fa", "Persian Coordinator", access.Coordinator)
		if err := w.remind.Digest(w.ctx, DigestArgs{UserID: boss.UserID, Day: "2026-03-01"}); err != nil {
			t.Fatal(err)
		}
		// The approval cohort starts on 22 March 2026, 2 Farvardin 1405.
		msg = w.composeFor(boss.UserID, KindApprovalsWaiting, recipient{Language: "fa"})
		if !strings.Contains(msg.Body, persian) || !strings.Contains(msg.Body, approval.Code) || !strings.Contains(msg.Body, "۲ فروردین ۱۴۰۵") {
			t.Errorf("Persian digest:\n%s", msg.Body)
		}
		msg = w.composeFor(boss.UserID, KindApprovalsWaiting, recipient{Language: "en"})
		if !strings.Contains(msg.Body, w.course.Title+" ("+approval.Code+"), starts 2026-03-22: 2") {
			t.Errorf("English digest:\n%s", msg.Body)
		}
	})
}
