package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/ops"
)

const retentionUsage = `Usage: muster retention run

  run   remove what has aged out now: e-mails sent or given up more than
        MUSTER_MAIL_RETENTION_DAYS ago, sign-in throttle windows older than
        MUSTER_THROTTLE_RETENTION; report the audit events older than
        MUSTER_AUDIT_RETENTION_DAYS, which only muster audit archive removes.
        muster serve runs the same every MUSTER_RETENTION_INTERVAL.

Disabled people are pseudonymised on request: muster user pseudonymise --id ID.`

func runRetention(ctx context.Context, args []string) error {
	if len(args) != 1 || args[0] != "run" {
		return badSubcommand(args, retentionUsage, "expected run")
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error { return retentionRun(ctx, a, os.Stdout) })
}

// retentionRun runs retention once and says what it did.
func retentionRun(ctx context.Context, a *app.App, out io.Writer) error {
	rep, err := ops.RunRetention(ctx, a.DB, a.Clock, retentionPeriods(a.Config))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "removed %d e-mails and %d sign-in throttle windows\n", rep.Mail, rep.Throttle)
	if rep.AuditDue > 0 {
		fmt.Fprintf(out, "%d audit events are older than the retention period: archive them with\n  muster audit archive --before %s --out audit-before-%s.ndjson\n",
			rep.AuditDue, rep.AuditBefore.Format(time.DateOnly), rep.AuditBefore.Format(time.DateOnly))
	}
	return nil
}

// retentionPeriods turns the configured periods into a Retention.
func retentionPeriods(cfg config.Config) ops.Retention {
	day := 24 * time.Hour
	return ops.Retention{Audit: time.Duration(cfg.AuditRetentionDays) * day, Mail: time.Duration(cfg.MailRetentionDays) * day, Throttle: cfg.ThrottleRetention}
}

// keepRetention runs retention at start and every MUSTER_RETENTION_INTERVAL
// until ctx ends. A plain loop for now: every process runs it, and a run
// that finds nothing to remove changes nothing.
func keepRetention(ctx context.Context, a *app.App) {
	t := time.NewTicker(a.Config.RetentionInterval)
	defer t.Stop()
	for {
		rep, err := ops.RunRetention(ctx, a.DB, a.Clock, retentionPeriods(a.Config))
		switch {
		case err != nil && ctx.Err() == nil:
			a.Logger.Warn("retention", "err", err)
		case err == nil && rep.Mail+rep.Throttle > 0:
			a.Logger.Info("retention", "mail_removed", rep.Mail, "throttle_removed", rep.Throttle)
		}
		if err == nil && rep.AuditDue > 0 {
			a.Logger.Warn("audit events are older than MUSTER_AUDIT_RETENTION_DAYS: archive them with muster audit archive",
				"events", rep.AuditDue, "before", rep.AuditBefore.Format(time.DateOnly))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// userPseudonymise replaces a disabled person's identifying details.
func userPseudonymise(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("user pseudonymise", flag.ContinueOnError)
	id := fs.String("id", "", "the disabled person's id")
	usage := "Usage: muster user pseudonymise --id ID\n\nReplaces a disabled person's address, names, rank and service number with a\npseudonym and removes their second factor and tokens; their training records\nand certificates stay, under the pseudonym. Audited as user.pseudonymise."
	if err := parseFlags(fs, args, usage); err != nil {
		return err
	}
	if *id == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("give --id ID")
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error {
		u, err := a.Identity.Pseudonymise(ctx, access.System(), *id)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(out, "pseudonymised %s: now %s <%s>\n", u.ID, u.FullName, u.Email)
		return nil
	})
}
