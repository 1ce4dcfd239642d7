package notify

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"muster/internal/clock"
)

// SendArgs is the job that sends one notification.
type SendArgs struct {
	NotificationID string `json:"notification_id"`
}

// Kind names the job in the queue.
func (SendArgs) Kind() string { return "notify.send" }

// SendWorker works SendArgs jobs through a Sender.
type SendWorker struct {
	river.WorkerDefaults[SendArgs]
	Sender *Sender
}

// Work delivers the job's notification.
func (w *SendWorker) Work(ctx context.Context, j *river.Job[SendArgs]) error {
	return w.Sender.Deliver(ctx, j.Args.NotificationID)
}

// NextRetry waits a minute after the first failure, then twice as long
// each time, up to six hours.
func (w *SendWorker) NextRetry(j *river.Job[SendArgs]) time.Time {
	return clock.Now(w.Sender.Clock).Add(backoff(j.Attempt))
}
