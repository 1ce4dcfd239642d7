package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/db"
)

// schemaRule says what a one-off task does with a database whose schema is
// behind this version of muster.
type schemaRule int

const (
	// migrateSQLite brings an embedded SQLite file, which belongs to this
	// process alone, up to date and refuses a shared PostgreSQL that is behind.
	migrateSQLite schemaRule = iota
	// refuseBehind changes no schema: a backup copies the database as found.
	refuseBehind
	// anySchema opens the database whatever its schema, for muster migrate.
	anySchema
)

// withApp opens the configured database for a one-off task, checks its
// schema by rule, runs task and closes the database.
func withApp(ctx context.Context, rule schemaRule, task func(*app.App) error) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, newLogger(cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	if rule != anySchema {
		if err := a.EnsureMigrated(ctx, rule == migrateSQLite && !db.IsPostgres(cfg.DatabaseURL)); err != nil {
			return err
		}
	}
	return task(a)
}

// parseFlags parses a command's flags; -h shows usage, the flags and the
// environment variables.
func parseFlags(fs *flag.FlagSet, args []string, usage string) error {
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fs.PrintDefaults()
		envHelp(fs.Output())
	}
	return fs.Parse(args)
}

// badSubcommand shows usage and the environment on standard error and says
// what was expected, or ends quietly when help was asked for.
func badSubcommand(args []string, usage, expected string) error {
	fmt.Fprintln(os.Stderr, usage)
	envHelp(os.Stderr)
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		return flag.ErrHelp
	}
	return errors.New(expected)
}
