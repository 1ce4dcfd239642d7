// Command muster runs the muster training-programme platform: its web
// server, database migrations and operator tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"muster/internal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (pages and JSON API)", runServe},
		{"migrate", "apply or inspect database migrations: up, status, down", runMigrate},
		{"seed", "add demo data to an empty database (--demo), or generated data in given numbers (--scale)", runSeed},
		{"user", "manage users from the command line: create, pseudonymise", runUser},
		{"export", "export certificates or training records: csv, xlsx, json, ndjson, zip of PDFs", runExport},
		{"verify", "check a signed certificate credential offline", runVerify},
		{"audit", "check the audit trail's hash chain (verify) or archive old events (archive)", runAudit},
		{"backup", "write a consistent copy of the database while it serves (--out FILE)", runBackup},
		{"restore", "load a backup into an empty database", runRestore},
		{"retention", "remove what has aged out now (serve does it on a schedule): run", runRetention},
		{"keys", "credential-signing keys: rotate, list", runKeys},
		{"health", "check that the server on MUSTER_ADDR answers /healthz (for container health checks)", runHealth},
		{"version", "print the version", func(context.Context, []string) error { fmt.Println("muster", version); return nil }},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage(os.Stdout)
		return
	}
	for _, c := range commands() {
		if c.name == os.Args[1] {
			err := c.run(ctx, os.Args[2:])
			if errors.Is(err, flag.ErrHelp) {
				return
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "muster "+c.name+":", err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "muster: unknown command %q\n\n", os.Args[1])
	usage(os.Stderr)
	os.Exit(2)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "muster: joint training programmes for partner agencies.\n\nUsage: muster <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `muster <command> -h` for a command's flags.")
	envHelp(w)
}

// envHelp lists the environment variables every command reads.
func envHelp(w io.Writer) {
	fmt.Fprintln(w, "\nEnvironment (each may also be given as NAME_FILE, a file holding the value):")
	for _, v := range config.Variables() {
		def := v.Default
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-30s %s (default %s)\n", v.Name, v.Help, def)
	}
}

// newLogger builds the process logger from the configuration.
func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
