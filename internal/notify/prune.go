package notify

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
)

// PruneArgs is the periodic job that deletes old e-mails that were sent
// or given up; the queue prunes its own finished jobs.
type PruneArgs struct{}

// Kind names the job in the queue.
func (PruneArgs) Kind() string { return "notify.prune" }

// PruneWorker deletes notifications finished more than Keep ago.
type PruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	DB    *gorm.DB
	Clock clock.Clock
	Keep  time.Duration
}

// Work deletes them.
func (w *PruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	_, err := Prune(ctx, w.DB, w.Clock, w.Keep)
	return err
}

// Prune deletes the notifications sent, or given up, and created more than
// keep ago, and answers how many.
func Prune(ctx context.Context, gdb *gorm.DB, clk clock.Clock, keep time.Duration) (int64, error) {
	var n int64
	err := db.Tx(ctx, gdb, clk, func(tx *gorm.DB) error {
		res := tx.Where("next_attempt_at IS NULL AND created_at < ?", db.Now(tx, clk).Add(-keep)).Delete(&Notification{})
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// PrunePeriodic runs the prune hourly on the queue's leader.
func PrunePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PruneArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})
}
