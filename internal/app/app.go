// Package app wires muster's parts together from a configuration: the
// database, the capability services and the web server.
package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/enrollment"
	"muster/internal/export"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/jobs"
	"muster/internal/notify"
	"muster/internal/roster"
	"muster/internal/secret"
	"muster/internal/web"
	"muster/internal/webhook"
)

// App holds one process's services.
type App struct {
	Config   config.Config
	DB       *gorm.DB
	Clock    clock.Clock
	Logger   *slog.Logger
	Messages *i18n.Catalog // the translated messages of every language
	Identity *identity.Service
	Audit    *audit.Service
	Courses  *catalog.Service
	Cohorts  *cohort.Service
	Roster   *roster.Service
	Enroll   *enrollment.Service
	Certify  *certify.Service
	Exports  *export.Service
	Mail     *notify.Sender
	Jobs     *jobs.Queue // the job queue: mail, reminders, webhooks
	Webhooks *webhook.Service
	Notices  *notify.Inbox // each person's list of notifications and choice of reminders
}

// Open connects to the database and builds the services.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	gdb, err := db.Open(ctx, cfg.DatabaseURL, db.Options{
		MaxOpenConns: cfg.DBMaxOpenConns, MaxIdleConns: cfg.DBMaxIdleConns, ConnMaxLifetime: cfg.DBConnMaxLifetime, Logger: logger, ReadURL: cfg.ReadURL,
	})
	if err != nil {
		return nil, err
	}
	return New(cfg, gdb, clock.System{}, logger)
}

// New builds the services over an open database.
func New(cfg config.Config, gdb *gorm.DB, clk clock.Clock, logger *slog.Logger) (*App, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	var seed []byte // the credential-signing key, when configured rather than generated
	if cfg.SigningKey != "" {
		if seed, err = certify.ParseSigningSeed(cfg.SigningKey); err != nil {
			return nil, fmt.Errorf("MUSTER_SIGNING_KEY: %w", err)
		}
	}
	box, err := secretBox(cfg)
	if err != nil {
		return nil, err
	}
	id := identity.NewService(gdb, clk)
	id.LockoutThreshold, id.LockoutDuration = cfg.LockoutThreshold, cfg.LockoutDuration
	id.MFARequiredRoles, id.AccountAttemptLimit, id.AddressFailureLimit = cfg.MFARequiredRoles, cfg.LoginAccountLimit, cfg.LoginAddressLimit
	outbox := &notify.Outbox{Clock: clk}
	id.Outbox = outbox // invitations and reset links
	id.Secrets = box   // authenticator secrets sealed like signing keys
	a := &App{Config: cfg, DB: gdb, Clock: clk, Logger: logger, Messages: cat, Identity: id, Audit: &audit.Service{DB: gdb, Clock: clk},
		Courses: &catalog.Service{DB: gdb, Reads: db.Reads(gdb), Clock: clk},
		Cohorts: &cohort.Service{DB: gdb, Clock: clk}, Roster: &roster.Service{DB: gdb, Clock: clk},
		Enroll: &enrollment.Service{DB: gdb, Clock: clk, RecertWindowDays: cfg.RecertWindowDays}, Certify: &certify.Service{DB: gdb, Clock: clk, BaseURL: cfg.BaseURL, Prefix: cfg.CertificatePrefix,
			RecertWindowDays: cfg.RecertWindowDays, Printer: certify.NewPrinter(cfg.ChromiumPath, 2), SigningSeed: seed,
			Secrets: box, RequireSealedKeys: cfg.SecureCookies()},
		Exports: &export.Service{DB: gdb, Reads: db.Reads(gdb), Clock: clk, BaseURL: cfg.BaseURL}}
	// Capabilities that react to each other's changes, wired here so none
	// imports another's service.
	a.Cohorts.Seats = a.Enroll // freed seats promote the waitlist; cancellation cancels enrollments
	// Moving a session re-checks its instructors, then tells the people enrolled (set below, with the outbox).
	a.Cohorts.Schedule = a.Roster
	a.Roster.ExtraEvents = append(a.Roster.ExtraEvents, a.Enroll.CalendarEvents)
	a.Exports.PDF = a.Certify // bulk ZIP downloads print each certificate
	// Completion and results change enrollments and the cohort through their owners.
	a.Certify.Enrollments, a.Certify.Cohorts = a.Enroll, a.Cohorts
	// Trainees are told of decisions by e-mail, queued in each decision's transaction.
	a.Webhooks = &webhook.Service{DB: gdb, Clock: clk, Secrets: box}
	a.Notices = &notify.Inbox{DB: gdb, Clock: clk, Messages: cat, BaseURL: cfg.BaseURL}
	a.Enroll.Notifier = notifiers{notify.Enrollments{Outbox: outbox}, webhook.Enrollments{Service: a.Webhooks}}
	a.Certify.Announcer = a.Webhooks // certificate.issued and .revoked to subscribed agencies
	a.Cohorts.Schedule = watchers{a.Roster, notify.ScheduleChanges{Outbox: outbox}}
	a.Mail, err = notify.NewSender(gdb, clk, cat, logger, notify.SMTP{Host: cfg.SMTPHost, Port: cfg.SMTPPort,
		Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	// Every e-mail and reminder is a job on the queue shared by all processes.
	reminders := &notify.Reminders{DB: gdb, Clock: clk, Outbox: outbox}
	workers := river.NewWorkers()
	notify.AddWorkers(workers, a.Mail, reminders)
	river.AddWorker(workers, &webhook.DeliverWorker{Deliverer: &webhook.Deliverer{Service: a.Webhooks,
		Client: webhook.NewClient(cfg.WebhookAllowPrivate)}})
	a.Jobs, err = jobs.New(gdb, clk, jobs.Config{Workers: workers, Logger: logger, Retention: cfg.JobRetention,
		Periodic: []*river.PeriodicJob{reminders.Periodic(), reminders.DailyPeriodic(), reminders.DigestPeriodic()}})
	if err != nil {
		return nil, err
	}
	outbox.Jobs, reminders.Jobs, a.Webhooks.Jobs = a.Jobs, a.Jobs, a.Jobs
	return a, nil
}

// notifiers tells each of several parties of an enrollment's change, in its transaction.
type notifiers []enrollment.Notifier

func (ns notifiers) Notify(tx *gorm.DB, n enrollment.Notice) error {
	for _, x := range ns {
		if err := x.Notify(tx, n); err != nil {
			return err
		}
	}
	return nil
}

// watchers hear, in order, of a moved session.
type watchers []cohort.ScheduleWatcher

func (ws watchers) SessionChanged(ctx context.Context, tx *gorm.DB, actor access.Actor, c *cohort.Cohort, s *cohort.Session) error {
	for _, w := range ws {
		if err := w.SessionChanged(ctx, tx, actor, c, s); err != nil {
			return err
		}
	}
	return nil
}

// secretBox seals stored signing keys under MUSTER_SECRET_KEY; nil when unset.
func secretBox(cfg config.Config) (*secret.Box, error) {
	if cfg.SecretKey == "" {
		return nil, nil
	}
	key, err := secret.ParseKey(cfg.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("MUSTER_SECRET_KEY: %w", err)
	}
	return secret.NewBox(key)
}

// Web builds the HTTP handler.
func (a *App) Web() (*web.Server, error) {
	return web.New(web.Deps{Config: a.Config, DB: a.DB, Messages: a.Messages, Clock: a.Clock, Logger: a.Logger,
		Identity: a.Identity, Audit: a.Audit, Courses: a.Courses, Cohorts: a.Cohorts, Roster: a.Roster,
		Enroll: a.Enroll, Certify: a.Certify, Exports: a.Exports, Webhooks: a.Webhooks, Notices: a.Notices})
}

// Close releases the database.
func (a *App) Close() error {
	_ = a.Certify.Close() // stops the shared Chromium, if one was started
	return db.Close(a.DB)
}

// EnsureMigrated applies migrations when allowed, else refuses to run on a
// database that is behind.
func (a *App) EnsureMigrated(ctx context.Context, migrate bool) error {
	m, err := db.NewMigrator(a.DB)
	if err != nil {
		return err
	}
	if migrate {
		n, err := m.Up(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			a.Logger.Info("applied migrations", "count", n)
		}
		return a.ReindexCourses(ctx)
	}
	pending, err := m.Pending(ctx)
	if err != nil {
		return err
	}
	if pending {
		return fmt.Errorf("the database schema is behind this version of muster: run `muster migrate up`, or start with `muster serve --migrate`")
	}
	return nil
}

// ReindexCourses brings every course's search text up to date with its
// translations; after migrations, and a no-op when nothing changed.
func (a *App) ReindexCourses(ctx context.Context) error {
	n, err := a.Courses.Reindex(ctx)
	if err != nil {
		return fmt.Errorf("reindex courses: %w", err)
	}
	if n > 0 {
		a.Logger.Info("reindexed course search text", "count", n)
	}
	return nil
}

// Models lists every GORM model, for the schema agreement test.
func Models() []any {
	return []any{&identity.Agency{}, &identity.AgencySeal{}, &identity.User{}, &identity.UserRole{}, &identity.AccessToken{}, &identity.Session{},
		&audit.Event{}, &audit.Link{}, &audit.Head{},
		&identity.TOTP{}, &identity.RecoveryCode{}, &identity.PasswordToken{}, &identity.ThrottleWindow{},
		&catalog.Course{}, &catalog.CourseLanguage{}, &catalog.CoursePrerequisite{}, &catalog.Stamp{},
		&cohort.Venue{}, &cohort.Cohort{}, &cohort.Quota{}, &cohort.Session{},
		&roster.Profile{}, &roster.Language{}, &roster.Qualification{}, &roster.Unavailability{}, &roster.Assignment{}, &roster.FeedToken{},
		&enrollment.Enrollment{},
		&certify.Certificate{}, &certify.Counter{}, &certify.SigningKey{}, &certify.Attendance{}, &certify.StoredPDF{},
		&notify.Notification{}, &notify.OptOut{}, &webhook.Hook{}, &webhook.Delivery{}}
}
