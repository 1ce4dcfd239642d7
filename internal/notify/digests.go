package notify

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/clock"
	"muster/internal/db"
)

// expiryWarnings are the days before a certificate expires on which its
// holder and their agency's hr are told.
var expiryWarnings = []int{90, 30, 7}

// DailyArgs is the once-a-day work, one job per UTC day: certificates about
// to expire. The queue's leader offers it every hour; uniqueness by day
// makes it run once, and a process that starts late in the day still runs
// it. The approvals digest keeps each coordinator's own morning instead
// (see DigestArgs).
type DailyArgs struct {
	Day string `json:"day"` // YYYY-MM-DD, UTC
}

// Kind names the job in the queue.
func (DailyArgs) Kind() string { return "notify.daily" }

// DailyPeriodic offers the day's job every hour.
func (r *Reminders) DailyPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour), func() (river.JobArgs, *river.InsertOpts) {
		return DailyArgs{Day: clock.Today(r.Clock).Format(time.DateOnly)},
			&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: 48 * time.Hour}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

// Daily queues, in one transaction, the day's expiry warnings.
func (r *Reminders) Daily(ctx context.Context, day time.Time) error {
	return db.Tx(ctx, r.DB, r.Clock, func(tx *gorm.DB) error { return r.expiring(tx, day) })
}

// expiring tells holders, and their agency's hr, of certificates that
// expire 90, 30 or 7 days after day and are not revoked.
func (r *Reminders) expiring(tx *gorm.DB, day time.Time) error {
	for _, d := range expiryWarnings {
		var certs []struct {
			Number       string
			UserID       string
			AgencyID     string
			HolderName   string
			CourseTitle  string
			Translations catalog.Translations
			ExpiresOn    time.Time
		}
		err := tx.Table("certificates c").Select("c.number, c.user_id, u.agency_id, c.holder_name, co.title AS course_title, co.translations, c.expires_on").
			Joins("JOIN users u ON u.id = c.user_id").Joins("JOIN courses co ON co.id = c.course_id").
			Where("c.revoked_at IS NULL AND c.expires_on = ?", day.AddDate(0, 0, d)).Order("c.number").Scan(&certs).Error
		if err != nil {
			return err
		}
		for _, c := range certs {
			var hr []string
			if err := tx.Table("users u").Joins("JOIN user_roles r ON r.user_id = u.id").
				Where("u.agency_id = ? AND r.role = ? AND u.disabled_at IS NULL AND u.id <> ?", c.AgencyID, access.HR, c.UserID).
				Order("u.id").Pluck("u.id", &hr).Error; err != nil {
				return err
			}
			facts := map[string]any{"number": c.Number, "holder_name": c.HolderName, "course_title": c.CourseTitle,
				"course_titles": c.Translations.Titles(), "expires_at": c.ExpiresOn.UTC().Format(time.DateOnly), "days": d}
			for _, to := range append([]string{c.UserID}, hr...) {
				if err := r.enqueueOptional(tx, to, KindCertificateExpiring, facts); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// enqueueOptional queues an optional kind unless the person turned it off.
func (r *Reminders) enqueueOptional(tx *gorm.DB, userID, kind string, facts map[string]any) error {
	if off, err := optedOut(tx, userID, kind); err != nil || off {
		return err
	}
	return r.Outbox.Enqueue(tx, userID, kind, facts)
}

// DailyWorker works the day's job.
type DailyWorker struct {
	river.WorkerDefaults[DailyArgs]
	Reminders *Reminders
}

// Work runs the day's warnings.
func (w *DailyWorker) Work(ctx context.Context, j *river.Job[DailyArgs]) error {
	day, err := time.Parse(time.DateOnly, j.Args.Day)
	if err != nil {
		return river.JobCancel(err)
	}
	return w.Reminders.Daily(ctx, day)
}
