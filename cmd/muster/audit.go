package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/audit"
	"muster/internal/config"
	"muster/internal/ops"
)

const auditUsage = `Usage: muster audit verify [--anchor SEQ:HASH ...]
       muster audit archive --before YYYY-MM-DD --out FILE

  verify   walk the audit trail's hash chain: prints the events checked and the
           head (seq and hash; keep it elsewhere and pass it later as --anchor to
           prove the chain was not rewritten since). Exits 0 when intact, 1 naming
           the first broken event.
  archive  export every event recorded before the day to FILE (JSON lines, with
           their links), then delete them in the same transaction, which records
           an audit.archive event naming where the chain now starts. Refuses a
           trail that does not verify, and an existing FILE.`

// runAudit checks or archives the audit trail.
func runAudit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return badSubcommand(args, auditUsage, "expected verify or archive")
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], os.Stdout)
	case "archive":
		return auditArchive(ctx, args[1:], os.Stdout)
	}
	return badSubcommand(args[:1], auditUsage, fmt.Sprintf("unknown audit command %q", args[0]))
}

// anchors is the repeatable --anchor flag.
type anchors []audit.Anchor

func (a *anchors) String() string { return fmt.Sprint(len(*a)) }

func (a *anchors) Set(v string) error {
	seq, h, ok := strings.Cut(v, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	b, herr := hex.DecodeString(h)
	if !ok || err != nil || herr != nil || n < 1 || len(b) != 32 {
		return errors.New("want SEQ:HASH, the seq and 64 hex digits printed by an earlier verify")
	}
	*a = append(*a, audit.Anchor{Seq: n, Hash: b})
	return nil
}

func auditVerify(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	var anc anchors
	fs.Var(&anc, "anchor", "a head printed by an earlier verify (SEQ:HASH); the chain must still pass through it (repeatable)")
	if err := parseFlags(fs, args, auditUsage); err != nil {
		return err
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error { return verifyChain(ctx, a.Audit, anc, out) })
}

// verifyChain walks the chain and prints its head.
func verifyChain(ctx context.Context, svc *audit.Service, anc anchors, out io.Writer) error {
	r, err := svc.Verify(ctx, anc...)
	if err != nil {
		return err
	}
	if r.Break != nil {
		return r.Break
	}
	fmt.Fprintf(out, "intact: %d events checked (seq %d..%d)\n", r.Links, r.FirstSeq, r.HeadSeq)
	fmt.Fprintf(out, "  head      %d:%x\n", r.HeadSeq, r.HeadHash)
	if r.ArchivedTo > 0 {
		fmt.Fprintf(out, "  archived  seq 1..%d (see the audit.archive events)\n", r.ArchivedTo)
	}
	if r.Legacy > 0 {
		fmt.Fprintf(out, "  not covered: %d earlier events predate the chain\n", r.Legacy)
	}
	return nil
}

func auditArchive(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("audit archive", flag.ContinueOnError)
	before := fs.String("before", "", "archive the events recorded before this day (YYYY-MM-DD, UTC)")
	path := fs.String("out", "", "the file to write (must not exist)")
	if err := parseFlags(fs, args, auditUsage); err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, *before)
	if err != nil || *path == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("give --before YYYY-MM-DD and --out FILE")
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	if cut := ops.AuditCutoff(time.Now(), time.Duration(cfg.AuditRetentionDays)*24*time.Hour); day.After(cut) {
		return fmt.Errorf("audit events are kept %d days (MUSTER_AUDIT_RETENTION_DAYS, at least 365): archive only before %s or earlier", cfg.AuditRetentionDays, cut.Format(time.DateOnly))
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error { return archiveBefore(ctx, a.Audit, day, *path, out) })
}

// archiveBefore moves the events recorded before day to the file at path.
func archiveBefore(ctx context.Context, svc *audit.Service, day time.Time, path string, out io.Writer) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	d, err := svc.Archive(ctx, access.System(), day, f, f.Sync)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || d.Events+d.Legacy == 0 {
		_ = os.Remove(path)
	}
	if err != nil {
		return err
	}
	if d.Events+d.Legacy == 0 {
		fmt.Fprintln(out, "nothing recorded before", d.Before)
		return nil
	}
	fmt.Fprintf(out, "archived %d events (chain seq 1..%d, and %d earlier) to %s, sha256 %s\n", d.Events+d.Legacy, d.ThroughSeq, d.Legacy, path, d.FileSHA256)
	return nil
}
