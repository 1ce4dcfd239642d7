package ops

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/identity"
	"muster/internal/notify"
)

// ActionRetention is the audit action of a retention run that removed rows.
const ActionRetention = "retention.run"

// MinAuditRetention is the shortest time audit events are kept.
const MinAuditRetention = 365 * 24 * time.Hour

// Retention is how long data that ages out is kept.
type Retention struct {
	// Audit: events older than this are due for `muster audit archive`,
	// which exports and then removes them; retention never deletes them.
	Audit time.Duration
	// Mail: e-mails sent or given up this long ago leave the outbox.
	Mail time.Duration
	// Throttle: sign-in throttle windows (failed sign-in identifiers and
	// client addresses) that started this long ago are removed.
	Throttle time.Duration
}

// RetentionReport says what a run removed and what waits for an archive.
type RetentionReport struct {
	Mail     int64 `json:"mail"`
	Throttle int64 `json:"throttle"`
	// AuditDue counts the events older than the audit period, to be archived
	// with `muster audit archive --before AuditBefore`.
	AuditDue    int64     `json:"-"`
	AuditBefore time.Time `json:"-"`
}

// RunRetention removes, in one transaction with its audit event, the
// e-mails and throttle windows older than their periods, and counts the
// audit events due for archiving. Running it again, or in several
// processes at once, removes nothing twice.
func RunRetention(ctx context.Context, gdb *gorm.DB, clk clock.Clock, r Retention) (RetentionReport, error) {
	var rep RetentionReport
	err := db.Tx(ctx, gdb, clk, func(tx *gorm.DB) error {
		now := db.Now(tx, clk)
		rep = RetentionReport{AuditBefore: AuditCutoff(now, r.Audit)}
		var err error
		if rep.Mail, err = notify.PruneFinished(tx, now.Add(-r.Mail)); err != nil {
			return err
		}
		if rep.Throttle, err = identity.PruneThrottleBefore(tx, now.Add(-r.Throttle)); err != nil {
			return err
		}
		if err := tx.Model(&audit.Event{}).Where("at < ?", rep.AuditBefore).Count(&rep.AuditDue).Error; err != nil {
			return err
		}
		if rep.Mail+rep.Throttle == 0 {
			return nil
		}
		return audit.Record(tx, now, access.System(), audit.Entry{Action: ActionRetention, SubjectType: "database", SubjectID: "retention", Details: rep})
	})
	return rep, err
}

// AuditCutoff is the first day whose events must still be kept: events
// recorded before it may be archived. The period is never below a year.
func AuditCutoff(now time.Time, period time.Duration) time.Time {
	cut := now.UTC().Add(-max(period, MinAuditRetention))
	return time.Date(cut.Year(), cut.Month(), cut.Day(), 0, 0, 0, 0, time.UTC)
}
