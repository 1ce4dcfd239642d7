// Package jobs is muster's job queue: River on the application's own
// database (PostgreSQL or SQLite), so jobs are inserted in the transaction
// of the change that calls for them, scheduled for later, retried with
// backoff and worked by exactly one of any number of processes, with no
// server beside the database.
package jobs

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
)

// Defaults of Config.
const (
	defaultRetention = 7 * 24 * time.Hour
	defaultPoll      = time.Second
	defaultWorkers   = 4
	// stubbedRescue is the rescuer's patience under a stubbed clock: longer
	// than any stubbed clock stands from the wall clock.
	stubbedRescue = 100 * 365 * 24 * time.Hour
)

// Config says what a queue works and how.
type Config struct {
	Workers  *river.Workers       // the kinds of job this process works
	Periodic []*river.PeriodicJob // jobs the elected leader inserts on a schedule
	// Retention is how long finished (completed, cancelled, discarded) jobs
	// are kept before they are pruned; 0 means seven days.
	Retention time.Duration
	// Poll is how often an idle client looks for due jobs; 0 means a second.
	Poll   time.Duration
	Logger *slog.Logger
}

// Queue is one process's client of the shared job queue.
type Queue struct {
	client *river.Client[*sql.Tx]
}

// New builds a queue client over gdb. Times come from clk: a test's fixed
// clock decides which scheduled jobs are due.
func New(gdb *gorm.DB, clk clock.Clock, cfg Config) (*Queue, error) {
	retention := cfg.Retention
	if retention <= 0 {
		retention = defaultRetention
	}
	poll := cfg.Poll
	if poll <= 0 {
		poll = defaultPoll
	}
	rc := &river.Config{
		Workers: cfg.Workers, PeriodicJobs: cfg.Periodic, Logger: cfg.Logger,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: defaultWorkers}},
		FetchPollInterval:           poll,
		FetchCooldown:               min(poll, 100*time.Millisecond),
		CompletedJobRetentionPeriod: retention, CancelledJobRetentionPeriod: retention, DiscardedJobRetentionPeriod: retention,
		JobTimeout: 5 * time.Minute,
	}
	if _, system := clk.(clock.System); !system && clk != nil {
		rc.Test.Time = timeOf{clk}
		// River's rescuer measures a running job's age on the wall clock
		// against its start on this one: a stubbed clock in the past would
		// make every running job look stuck and be worked again.
		rc.RescueStuckJobsAfter = stubbedRescue
	}
	c, err := river.NewClient(db.QueueDriver(gdb), rc)
	if err != nil {
		return nil, err
	}
	return &Queue{client: c}, nil
}

// Insert adds a job inside tx, the transaction of the change that calls for it.
func (q *Queue) Insert(tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
	stx, err := db.SQLTx(tx)
	if err != nil {
		return err
	}
	_, err = q.client.InsertTx(tx.Statement.Context, stx, args, opts)
	return err
}

// Start works jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets running jobs finish, within ctx, and stops working.
func (q *Queue) Stop(ctx context.Context) error { return q.client.Stop(ctx) }

// Client is River's client, for subscriptions in tests and job lists.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// timeOf lets River read muster's clock: a stubbed clock stamps the jobs
// it inserts and decides which scheduled ones are due. River's scheduler
// passes Now to the database, so both methods answer the stubbed time; a
// test that moves the clock past the leader's term (15 s) sees the leader
// step down and another elected within a few seconds.
type timeOf struct{ clk clock.Clock }

// Now is the clock's instant under muster's clock rule (whole seconds):
// PostgreSQL would round a finer stamp up and a frozen clock never reach it.
func (t timeOf) Now() time.Time { return clock.Now(t.clk) }

func (t timeOf) NowOrNil() *time.Time {
	now := clock.Now(t.clk)
	return &now
}
