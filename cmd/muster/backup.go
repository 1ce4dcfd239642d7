package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/ops"
)

func runBackup(ctx context.Context, args []string) error {
	return backup(ctx, args, os.Stdout)
}

func backup(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	file := fs.String("out", "", "the backup file to write (must not exist)")
	usage := `Usage: muster backup --out FILE

Writes a consistent copy of DATABASE_URL while muster keeps serving: for SQLite
a database file that DATABASE_URL=FILE muster serve runs on, for PostgreSQL a
pg_dump custom-format archive (pg_dump must be installed). Restore with
muster restore FILE.`
	if err := parseFlags(fs, args, usage); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("give --out FILE")
	}
	return withApp(ctx, refuseBehind, func(a *app.App) error {
		format, err := ops.Backup(ctx, a.DB, a.Clock, a.Config.DatabaseURL, *file)
		if err != nil {
			return err
		}
		st, err := os.Stat(*file)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "backed up the %s database to %s (%s, %d bytes)\n", db.Dialect(a.DB), *file, format, st.Size())
		return nil
	})
}

func runRestore(ctx context.Context, args []string) error {
	return restore(ctx, args, os.Stdout)
}

func restore(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	usage := `Usage: muster restore FILE

Loads a backup made by muster backup into the empty database DATABASE_URL
(a new SQLite file, or an empty PostgreSQL database made with createdb).
Refuses a database that already has tables. Run muster migrate up afterwards
when the backup came from an older version.`
	if err := parseFlags(fs, args, usage); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give the backup FILE")
	}
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	format, err := ops.Restore(ctx, cfg.DatabaseURL, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restored %s (%s); check it with: muster audit verify\n", fs.Arg(0), format)
	return nil
}
