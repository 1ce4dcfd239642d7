package notify

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// Timing of session reminders.
const (
	reminderLead = 24 * time.Hour // a reminder goes this long before its session starts
	// reminderLookahead is how far ahead a scan schedules reminders: wider
	// than the lead and the scan interval, so no session slips between scans.
	reminderLookahead = 48 * time.Hour
	// ReminderScanEvery is how often the queue's leader scans for sessions to remind of.
	ReminderScanEvery = 15 * time.Minute
)

// Reminders schedules reminders on the job queue and queues their e-mails
// when due.
type Reminders struct {
	DB     *gorm.DB
	Clock  clock.Clock
	Outbox *Outbox
	Jobs   Jobs
}

// ScanArgs is the periodic job that schedules reminders.
type ScanArgs struct{}

// Kind names the job in the queue.
func (ScanArgs) Kind() string { return "notify.reminders.scan" }

// SessionReminderArgs is one person's reminder of one session, due
// reminderLead before StartsAt. A session moved since is reminded of by the
// job its new time schedules, not by this one.
type SessionReminderArgs struct {
	SessionID string    `json:"session_id" river:"unique"`
	UserID    string    `json:"user_id" river:"unique"`
	StartsAt  time.Time `json:"starts_at" river:"unique"`
}

// Kind names the job in the queue.
func (SessionReminderArgs) Kind() string { return "notify.session_reminder" }

// Periodic is the scan, run by the queue's elected leader at start and
// every ReminderScanEvery.
func (r *Reminders) Periodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(ReminderScanEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ScanArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})
}

// Scan schedules a reminder for every person enrolled in a session that
// starts within the lookahead. Each is a unique job, so scanning again
// schedules nothing twice.
func (r *Reminders) Scan(ctx context.Context) error {
	return db.Tx(ctx, r.DB, r.Clock, func(tx *gorm.DB) error {
		now := db.Now(tx, r.Clock)
		var due []SessionReminderArgs
		err := tx.Table("cohort_sessions AS s").Select("s.id AS session_id, e.user_id, s.starts_at").
			Joins("JOIN cohorts c ON c.id = s.cohort_id").Joins("JOIN enrollments e ON e.cohort_id = s.cohort_id").
			Where("c.status IN ? AND e.status = ? AND s.starts_at > ? AND s.starts_at <= ?",
				[]string{cohort.StatusOpen, cohort.StatusInProgress}, enrollment.StatusEnrolled, now, now.Add(reminderLookahead)).
			Order("s.starts_at").Scan(&due).Error
		if err != nil {
			return err
		}
		for _, a := range due {
			a.StartsAt = a.StartsAt.UTC()
			at := a.StartsAt.Add(-reminderLead)
			if at.Before(now) {
				at = now // enrolled within the last day: reminded at once
			}
			if err := r.Jobs.Insert(tx, a, &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemindSession queues a's e-mail when the session still starts when the
// job was scheduled for, the person is still enrolled and has not turned
// reminders off.
func (r *Reminders) RemindSession(ctx context.Context, a SessionReminderArgs) error {
	return db.Tx(ctx, r.DB, r.Clock, func(tx *gorm.DB) error {
		var s struct {
			StartsAt     time.Time
			Topic        string
			Room         string
			CohortID     string
			CohortCode   string
			CohortZone   string
			CourseCode   string
			CourseTitle  string
			Translations catalog.Translations
		}
		err := tx.Table("cohort_sessions AS s").Select("s.starts_at, s.topic, s.room, s.cohort_id, c.code AS cohort_code, c.time_zone AS cohort_zone, "+
			"co.code AS course_code, co.title AS course_title, co.translations").
			Joins("JOIN cohorts c ON c.id = s.cohort_id").Joins("JOIN courses co ON co.id = c.course_id").
			Where("s.id = ? AND c.status IN ?", a.SessionID, []string{cohort.StatusOpen, cohort.StatusInProgress}).Take(&s).Error
		if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !s.StartsAt.Equal(a.StartsAt)) {
			return nil // deleted, cancelled or moved
		}
		if err != nil {
			return err
		}
		var held int64
		if err := tx.Table("enrollments").Where("cohort_id = ? AND user_id = ? AND status = ?", s.CohortID, a.UserID, enrollment.StatusEnrolled).
			Count(&held).Error; err != nil || held == 0 {
			return err
		}
		if off, err := optedOut(tx, a.UserID, KindSessionReminder); err != nil || off {
			return err
		}
		zone, err := identity.ZoneOr(tx, a.UserID, cohort.ZoneOf(s.CohortZone))
		if err != nil {
			return err
		}
		local := s.StartsAt.In(zone)
		return r.Outbox.Enqueue(tx, a.UserID, KindSessionReminder, map[string]any{"session_id": a.SessionID, "cohort_id": s.CohortID,
			"cohort_code": s.CohortCode, "course_code": s.CourseCode, "course_title": s.CourseTitle,
			"course_titles": s.Translations.Titles(), "topic": s.Topic, "room": s.Room,
			"starts_at": a.StartsAt.Format(time.RFC3339), "when": local.Format("2006-01-02 15:04") + " (" + zone.String() + ")"})
	})
}

// optedOut reports whether userID turned kind off.
func optedOut(tx *gorm.DB, userID, kind string) (bool, error) {
	var n int64
	err := tx.Model(&OptOut{}).Where("user_id = ? AND kind = ?", userID, kind).Count(&n).Error
	return n > 0, err
}

// ScanWorker works the periodic scan.
type ScanWorker struct {
	river.WorkerDefaults[ScanArgs]
	Reminders *Reminders
}

// Work scans for sessions to remind of.
func (w *ScanWorker) Work(ctx context.Context, _ *river.Job[ScanArgs]) error {
	return w.Reminders.Scan(ctx)
}

// SessionReminderWorker works each person's session reminder.
type SessionReminderWorker struct {
	river.WorkerDefaults[SessionReminderArgs]
	Reminders *Reminders
}

// Work queues the reminder's e-mail.
func (w *SessionReminderWorker) Work(ctx context.Context, j *river.Job[SessionReminderArgs]) error {
	return w.Reminders.RemindSession(ctx, j.Args)
}

// AddWorkers registers notify's jobs with the queue's workers.
func AddWorkers(ws *river.Workers, s *Sender, r *Reminders) {
	river.AddWorker(ws, &SendWorker{Sender: s})
	river.AddWorker(ws, &ScanWorker{Reminders: r})
	river.AddWorker(ws, &SessionReminderWorker{Reminders: r})
	river.AddWorker(ws, &DailyWorker{Reminders: r})
	river.AddWorker(ws, &DigestScanWorker{Reminders: r})
	river.AddWorker(ws, &DigestWorker{Reminders: r})
}
