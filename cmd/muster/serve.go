package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/identity"
	"muster/internal/seed"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	migrate := fs.Bool("migrate", false, "apply pending migrations before serving (always done for SQLite)")
	demo := fs.Bool("demo", false, "on an empty database, add demo data and print its sign-ins")
	if err := parseFlags(fs, args, "Usage: muster serve [--migrate] [--demo]\n\nServes pages and the JSON API on MUSTER_ADDR until SIGINT or SIGTERM."); err != nil {
		return err
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	logger := newLogger(cfg)
	for _, w := range cfg.Warnings() {
		logger.Warn(w)
	}
	a, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	// An embedded SQLite file belongs to this process alone, so it is migrated
	// in place; a shared PostgreSQL is migrated deliberately.
	if err := a.EnsureMigrated(ctx, *migrate || !db.IsPostgres(cfg.DatabaseURL)); err != nil {
		return err
	}
	if err := prepareSigning(ctx, a); err != nil {
		return err
	}
	if *demo {
		if err := seedDemo(ctx, a, false); err != nil {
			return err
		}
	}
	h, err := a.Web()
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.Addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	go cleanSessions(ctx, a)
	go keepRetention(ctx, a) // e-mails and throttle windows age out; audit events are only reported
	a.Mail.Describe()
	// The job queue sends mail and reminders; it stops, letting running jobs end, when serving stops.
	if err := a.Jobs.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		_ = a.Jobs.Stop(sctx)
	}()
	logger.Info("muster is serving", "url", cfg.BaseURL, "addr", ln.Addr().String(), "database", db.Dialect(a.DB), "version", version)
	fmt.Fprintf(os.Stderr, "\n  muster is running at %s\n\n", cfg.BaseURL)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Requests still running (a long export to a slow client) are cut
		// off: their clients see an incomplete answer, never a complete-looking one.
		logger.Warn("requests still running at the shutdown timeout were ended", "timeout", cfg.ShutdownTimeout)
		return srv.Close()
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// prepareSigning seals stored signing keys under MUSTER_SECRET_KEY and
// reads (or makes) the signing key, so a key that cannot be used or may not
// be made in the clear stops the server at start; a key left in the clear
// is warned about.
func prepareSigning(ctx context.Context, a *app.App) error {
	clear, err := a.Certify.PrepareKeys(ctx)
	if err != nil {
		return fmt.Errorf("credential signing: %w", err)
	}
	if clear > 0 {
		a.Logger.Warn("signing keys are stored in the clear in the database: set MUSTER_SECRET_KEY (32 random bytes, base64) to encrypt them", "keys", clear)
	}
	return nil
}

// cleanSessions deletes expired sessions every few minutes.
func cleanSessions(ctx context.Context, a *app.App) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	store := identity.SessionStore{DB: a.DB}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := store.DeleteExpired(ctx); err != nil {
				a.Logger.Warn("session cleanup", "err", err)
			} else if n > 0 {
				a.Logger.Debug("session cleanup", "deleted", n)
			}
		}
	}
}

// seedDemo adds demo data; strict makes a non-empty database an error.
func seedDemo(ctx context.Context, a *app.App, strict bool) error {
	res, err := seed.Demo(ctx, a.Identity, a.Courses)
	if errors.Is(err, seed.ErrNotEmpty) && !strict {
		return nil // the demo data is already there, or this is a real installation
	}
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n  Demo data created: %d agencies, %d people, %d courses, %d cohorts, %d certificates. Sign in at %s/login with password %q as:\n", len(res.Agencies), len(res.Accounts), res.Courses, res.Cohorts, res.Certificates, a.Config.BaseURL, seed.DemoPassword)
	for _, acc := range res.Accounts {
		fmt.Fprintf(&b, "    %-30s %-8s %s\n", acc.Email, acc.Agency, strings.Join(acc.Roles, ","))
	}
	fmt.Fprintln(os.Stderr, b.String())
	return nil
}
