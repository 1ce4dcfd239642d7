package notify

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/db"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// Timing of the coordinators' digest of approvals waiting.
const (
	// digestHour is the hour of a coordinator's own morning, in their time
	// zone, from which the day's digest goes out.
	digestHour = 7
	// DigestScanEvery is how often the queue's leader looks for coordinators
	// whose morning has come.
	DigestScanEvery = 15 * time.Minute
)

// DigestScanArgs is the periodic job that queues the morning digests.
type DigestScanArgs struct{}

// Kind names the job in the queue.
func (DigestScanArgs) Kind() string { return "notify.digest.scan" }

// DigestArgs is one coordinator's digest of one day of theirs. It is a
// unique job, so however many processes scan, the day's digest is queued
// once.
type DigestArgs struct {
	UserID string `json:"user_id"`
	Day    string `json:"day"` // YYYY-MM-DD in the coordinator's time zone
}

// Kind names the job in the queue.
func (DigestArgs) Kind() string { return "notify.digest" }

// DigestPeriodic is the scan, run by the queue's elected leader at start
// and every DigestScanEvery.
func (r *Reminders) DigestPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(DigestScanEvery),
		func() (river.JobArgs, *river.InsertOpts) { return DigestScanArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})
}

// ScanDigests queues the day's digest of each coordinator whose agency has
// requests waiting for approval and whose local time has passed 07:00.
func (r *Reminders) ScanDigests(ctx context.Context) error {
	return db.Tx(ctx, r.DB, r.Clock, func(tx *gorm.DB) error {
		now := db.Now(tx, r.Clock)
		waiting := tx.Table("enrollments e").Select("t.agency_id").Joins("JOIN users t ON t.id = e.user_id").
			Where("e.status = ?", enrollment.StatusPending)
		var coordinators []string
		if err := tx.Table("users u").Joins("JOIN user_roles r ON r.user_id = u.id").
			Where("r.role = ? AND u.disabled_at IS NULL AND u.agency_id IN (?)", access.Coordinator, waiting).
			Order("u.id").Pluck("u.id", &coordinators).Error; err != nil {
			return err
		}
		for _, id := range coordinators {
			zone, err := identity.ZoneOf(tx, id)
			if err != nil {
				return err
			}
			local := now.In(zone)
			if local.Hour() < digestHour {
				continue
			}
			args := DigestArgs{UserID: id, Day: local.Format(time.DateOnly)}
			if err := r.Jobs.Insert(tx, args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Digest queues a's e-mail, how many requests of the coordinator's agency
// wait for approval, unless none wait any more, they are no longer a
// coordinator, turned the digest off or were sent the day's digest already.
func (r *Reminders) Digest(ctx context.Context, a DigestArgs) error {
	day, err := time.Parse(time.DateOnly, a.Day)
	if err != nil {
		return river.JobCancel(err)
	}
	return db.Tx(ctx, r.DB, r.Clock, func(tx *gorm.DB) error {
		var coord struct{ AgencyID string }
		err := tx.Table("users u").Select("u.agency_id").Joins("JOIN user_roles r ON r.user_id = u.id").
			Where("u.id = ? AND r.role = ? AND u.disabled_at IS NULL", a.UserID, access.Coordinator).Take(&coord).Error
		if db.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if off, err := optedOut(tx, a.UserID, KindApprovalsWaiting); err != nil || off {
			return err
		}
		zone, err := identity.ZoneOf(tx, a.UserID)
		if err != nil {
			return err
		}
		// A digest queued since the local day began is the day's: the job
		// that queued it may have been pruned and the day's queued again.
		began := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone).UTC()
		var sent int64
		if err := tx.Model(&Notification{}).Where("user_id = ? AND kind = ? AND created_at >= ?", a.UserID, KindApprovalsWaiting, began).
			Count(&sent).Error; err != nil || sent > 0 {
			return err
		}
		cohorts, waiting, err := waitingByCohort(tx, coord.AgencyID)
		if err != nil || waiting == 0 {
			return err
		}
		return r.Outbox.Enqueue(tx, a.UserID, KindApprovalsWaiting, map[string]any{"count": waiting, "day": a.Day, "cohorts": cohorts})
	})
}

// waitingByCohort lists, per cohort, the requests of agencyID's personnel
// waiting for approval, with the course's titles in every language so the
// digest names it in its reader's, and how many wait in all.
func waitingByCohort(tx *gorm.DB, agencyID string) ([]map[string]any, int64, error) {
	var rows []struct {
		CohortCode   string
		StartsOn     time.Time
		CourseCode   string
		CourseTitle  string
		Translations catalog.Translations
		Count        int64
	}
	err := tx.Table("enrollments e").Select("c.code AS cohort_code, c.starts_on, co.code AS course_code, co.title AS course_title, "+
		"co.translations, COUNT(*) AS count").
		Joins("JOIN users t ON t.id = e.user_id").Joins("JOIN cohorts c ON c.id = e.cohort_id").Joins("JOIN courses co ON co.id = c.course_id").
		Where("t.agency_id = ? AND e.status = ?", agencyID, enrollment.StatusPending).
		Group("c.id, c.code, c.starts_on, co.code, co.title, co.translations").Order("c.starts_on, c.code").Scan(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	var total int64
	cohorts := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		total += r.Count
		cohorts = append(cohorts, map[string]any{"cohort_code": r.CohortCode, "starts_on": r.StartsOn.UTC().Format(time.DateOnly),
			"course_code": r.CourseCode, "course_title": r.CourseTitle, "course_titles": r.Translations.Titles(), "count": r.Count})
	}
	return cohorts, total, nil
}

// DigestScanWorker works the periodic scan for mornings.
type DigestScanWorker struct {
	river.WorkerDefaults[DigestScanArgs]
	Reminders *Reminders
}

// Work queues the digests whose morning has come.
func (w *DigestScanWorker) Work(ctx context.Context, _ *river.Job[DigestScanArgs]) error {
	return w.Reminders.ScanDigests(ctx)
}

// DigestWorker works each coordinator's digest of the day.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	Reminders *Reminders
}

// Work queues the digest's e-mail.
func (w *DigestWorker) Work(ctx context.Context, j *river.Job[DigestArgs]) error {
	return w.Reminders.Digest(ctx, j.Args)
}
