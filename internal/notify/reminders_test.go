package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/notify"
	"muster/internal/roster"
)

// TestSessionReminderArrivesADayBeforeWithAnInvitation follows a trainee
// from enrollment to the reminder: the enrollment e-mail carries an iTIP
// REQUEST for the cohort's session, and the reminder reaches the SMTP
// server when the injected clock reaches 24 hours before the session, not
// before, in the trainee's language and own time zone (not the cohort's or
// their agency's), and only once.
func TestSessionReminderArrivesADayBeforeWithAnInvitation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c := w.cohortFrom("2026-03-02", 5, false)
		// 12:00 UTC on 2 March is 17:00 in Dushanbe, the cohort's and the
		// agency's zone, and 15:30 in Tehran, the trainee's own.
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		w.agencyZone(w.agency, "Asia/Dushanbe")
		s := w.session(c, start, 3*time.Hour, "Route profiling", "Hall 2")
		ivan := w.person("ru", "Ivan Ivanov")
		w.userZone(ivan, "Asia/Tehran")
		w.request(ivan, c)
		mb := notify.StartMailbox(t, false, "")
		w.start(mb.Mailer(t, notify.TLSNone))

		got := waitFor(t, mb, 1)
		text, method := notify.CalendarOf(t, got[0])
		if method != "REQUEST" {
			t.Fatalf("enrollment e-mail's calendar method %q, want REQUEST:\n%s", method, got[0].Data)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(text))
		if err != nil {
			t.Fatalf("invitation does not parse as iCalendar: %v\n%s", err, text)
		}
		events := cal.Events()
		if len(events) != 1 || events[0].Id() != roster.SessionUID(s.ID) {
			t.Fatalf("invitation events: %d, uid %v", len(events), events)
		}
		if v := events[0].GetProperty(ics.ComponentPropertyDtStart).Value; v != "20260302T120000Z" {
			t.Errorf("DTSTART %s, want 20260302T120000Z (UTC)", v)
		}
		if !strings.Contains(text, "METHOD:REQUEST") || !strings.Contains(text, "ATTENDEE") || !strings.Contains(text, "ORGANIZER") {
			t.Errorf("invitation lacks iTIP parts:\n%s", text)
		}

		// Scanning schedules the reminder for 12:00 on 1 March; at 09:00 nothing goes.
		for range 2 {
			if err := w.remind.Scan(w.ctx); err != nil {
				t.Fatal(err)
			}
		}
		w.clock.Set(start.Add(-24*time.Hour - time.Minute))
		if err := w.remind.Scan(w.ctx); err != nil {
			t.Fatal(err)
		}
		if n := countKind(t, gdb, notify.KindSessionReminder); n != 0 {
			t.Fatalf("%d reminders queued a minute early", n)
		}
		w.clock.Set(start.Add(-24 * time.Hour))
		got = waitFor(t, mb, 2)
		_, subject, body := notify.Read(t, got[1])
		if !strings.HasPrefix(subject, "Завтра: ") || !strings.Contains(body, "2026-03-02 15:30 (Asia/Tehran)") || !strings.Contains(body, "Route profiling") {
			t.Errorf("reminder: %q\n%s", subject, body)
		}
		w.clock.Advance(time.Hour)
		if err := w.remind.Scan(w.ctx); err != nil {
			t.Fatal(err)
		}
		waitSent(t, gdb, 2)
		if n := countKind(t, gdb, notify.KindSessionReminder); n != 1 {
			t.Errorf("%d reminders queued, want exactly 1", n)
		}
	})
}

// TestOptedOutPersonGetsNoReminder: turning reminders off is honoured when the reminder falls due.
func TestOptedOutPersonGetsNoReminder(t *testing.T) {
	gdb := dbtest.SQLite(t)
	w := newWorld(t, gdb)
	c := w.cohortFrom("2026-03-02", 5, false)
	start := w.clock.Now().Add(30 * time.Hour)
	s := w.session(c, start, time.Hour, "Route profiling", "")
	p := w.person("tg", "Bahrom")
	w.request(p, c)
	if err := gdb.Create(&notify.OptOut{UserID: p.UserID, Kind: notify.KindSessionReminder, CreatedAt: w.clock.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.remind.RemindSession(w.ctx, notify.SessionReminderArgs{SessionID: s.ID, UserID: p.UserID, StartsAt: start}); err != nil {
		t.Fatal(err)
	}
	if n := countKind(t, gdb, notify.KindSessionReminder); n != 0 {
		t.Errorf("%d reminders queued for a person who turned them off", n)
	}
	// A session moved since the job was scheduled is not reminded of at the old time.
	if err := gdb.Delete(&notify.OptOut{}, "user_id = ?", p.UserID).Error; err != nil {
		t.Fatal(err)
	}
	if err := w.remind.RemindSession(w.ctx, notify.SessionReminderArgs{SessionID: s.ID, UserID: p.UserID, StartsAt: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if n := countKind(t, gdb, notify.KindSessionReminder); n != 0 {
		t.Errorf("%d reminders queued for a moved session", n)
	}
}

func countKind(t *testing.T, gdb *gorm.DB, kind string) int64 {
	t.Helper()
	var n int64
	if err := gdb.Model(&notify.Notification{}).Where("kind = ?", kind).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDailyWarnsOfExpiry: a certificate expiring in 30 days is told to its
// holder and their agency's hr (one of whom turned the warnings off), one
// expiring in 31 days to nobody.
func TestDailyWarnsOfExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		holder, other := w.person("fa", "Maryam Karimi"), w.person("ru", "Ivan Ivanov")
		hr, quietHR := w.person("tg", "Bahrom", access.HR), w.person("en", "Quiet HR", access.HR)
		if err := gdb.Create(&notify.OptOut{UserID: quietHR.UserID, Kind: notify.KindCertificateExpiring, CreatedAt: w.clock.Now()}).Error; err != nil {
			t.Fatal(err)
		}
		today := clock.Today(w.clock)
		// The course's certificates last twelve months: the holder's was
		// issued to expire in 30 days, the other's in 31.
		for i, p := range []access.Actor{holder, other} {
			w.tw.Certificates(w.coord, w.course, today.AddDate(0, 0, 30+i).AddDate(-1, 0, 0), p)
		}
		if err := w.remind.Daily(w.ctx, today); err != nil {
			t.Fatal(err)
		}
		for who, want := range map[string]int{holder.Name: 1, hr.Name: 1, quietHR.Name: 0, other.Name: 0} {
			var n int64
			id := map[string]string{holder.Name: holder.UserID, hr.Name: hr.UserID, quietHR.Name: quietHR.UserID, other.Name: other.UserID}[who]
			gdb.Model(&notify.Notification{}).Where("user_id = ? AND kind = ?", id, notify.KindCertificateExpiring).Count(&n)
			if n != int64(want) {
				t.Errorf("%s got %d expiry warnings, want %d", who, n, want)
			}
		}
		msg, err := notify.Compose(catalogs, "https://muster.example", w.outbox(hr.UserID)[0], notify.Recipient{FullName: "Bahrom", Language: "tg"})
		if err != nil || !strings.Contains(msg.Body, "30") || !strings.Contains(msg.Body, "Maryam Karimi") {
			t.Errorf("hr's warning: %v\n%s", err, msg.Body)
		}
	})
}

// TestMovedSessionSendsTheUpdatedInvitation: moving a session e-mails the
// enrolled trainee a REQUEST for that session alone, same UID, later
// start and a SEQUENCE above the original's; a withdrawal then cancels it.
func TestMovedSessionSendsTheUpdatedInvitation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c := w.cohort(5, false)
		start := time.Date(2026, 3, 22, 5, 0, 0, 0, time.UTC)
		var sessions []*cohort.Session
		for i := range 2 {
			sessions = append(sessions, w.session(c, start.AddDate(0, 0, i), time.Hour, fmt.Sprintf("Day %d", i+1), ""))
		}
		w.agencyZone(w.agency, "Asia/Dushanbe") // Ivan reads times in his agency's zone
		p := w.person("en", "Ivan")
		row := w.request(p, c)
		mb := notify.StartMailbox(t, false, "")
		w.start(mb.Mailer(t, notify.TLSNone))
		waitFor(t, mb, 1)

		w.clock.Advance(time.Hour)
		startsAt, endsAt := sessions[0].StartsAt.Add(2*time.Hour).Format(time.RFC3339), sessions[0].EndsAt.Add(2*time.Hour).Format(time.RFC3339)
		moved, err := w.tw.App.Cohorts.UpdateSession(w.ctx, w.coord, sessions[0].ID, cohort.SessionPatch{StartsAt: &startsAt, EndsAt: &endsAt})
		if err != nil {
			t.Fatal(err)
		}
		got := waitFor(t, mb, 2)
		text, method := notify.CalendarOf(t, got[1])
		cal, err := ics.ParseCalendar(strings.NewReader(text))
		if err != nil || method != "REQUEST" {
			t.Fatalf("update: %q %v\n%s", method, err, text)
		}
		ev := cal.Events()
		if len(ev) != 1 || ev[0].Id() != roster.SessionUID(moved.ID) ||
			ev[0].GetProperty(ics.ComponentPropertyDtStart).Value != "20260322T070000Z" ||
			ev[0].GetProperty(ics.ComponentPropertySequence).Value != "3600" {
			t.Fatalf("updated invitation:\n%s", text)
		}
		if _, subject, _ := notify.Read(t, got[1]); !strings.Contains(subject, "2026-03-22 12:00 (Asia/Dushanbe)") {
			t.Errorf("subject %q", subject)
		}

		w.clock.Advance(time.Hour)
		if _, err := w.enroll.Withdraw(w.ctx, w.coord, row.ID, enrollment.Decision{Reason: "Reassigned"}); err != nil {
			t.Fatal(err)
		}
		got = waitFor(t, mb, 3)
		text, method = notify.CalendarOf(t, got[2])
		if method != "CANCEL" || strings.Count(text, "BEGIN:VEVENT") != 2 || !strings.Contains(text, "STATUS:CANCELLED") ||
			!strings.Contains(text, "SEQUENCE:7200") {
			t.Errorf("cancellation (%s):\n%s", method, text)
		}
	})
}

// TestZonelessPersonReadsTheCohortsZone: when neither the person nor their
// agency has a zone, the moved-session e-mail and the reminder give the
// time in the cohort's zone, where the session happens, not in UTC.
func TestZonelessPersonReadsTheCohortsZone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		c := w.cohort(5, false) // in Asia/Dushanbe; the agency has no zone
		s := w.session(c, time.Date(2026, 3, 22, 5, 0, 0, 0, time.UTC), time.Hour, "Route profiling", "")
		w.request(w.person("en", "Ivan"), c)
		mb := notify.StartMailbox(t, false, "")
		w.start(mb.Mailer(t, notify.TLSNone))
		waitFor(t, mb, 1)

		// Moved two hours later: 07:00 UTC is 12:00 in Dushanbe.
		w.clock.Advance(time.Hour)
		startsAt, endsAt := s.StartsAt.Add(2*time.Hour).Format(time.RFC3339), s.EndsAt.Add(2*time.Hour).Format(time.RFC3339)
		moved, err := w.tw.App.Cohorts.UpdateSession(w.ctx, w.coord, s.ID, cohort.SessionPatch{StartsAt: &startsAt, EndsAt: &endsAt})
		if err != nil {
			t.Fatal(err)
		}
		const when = "2026-03-22 12:00 (Asia/Dushanbe)"
		got := waitFor(t, mb, 2)
		if _, subject, _ := notify.Read(t, got[1]); !strings.Contains(subject, when) {
			t.Errorf("moved session's subject %q, want %q", subject, when)
		}

		w.clock.Set(moved.StartsAt.Add(-25 * time.Hour)) // within the scan's reach
		if err := w.remind.Scan(w.ctx); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(moved.StartsAt.Add(-24 * time.Hour))
		got = waitFor(t, mb, 3)
		if _, _, body := notify.Read(t, got[2]); !strings.Contains(body, when) {
			t.Errorf("reminder without %q:\n%s", when, body)
		}
	})
}
