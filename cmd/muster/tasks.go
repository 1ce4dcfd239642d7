package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"muster/internal/app"
	"muster/internal/config"
	"muster/internal/db"
	"muster/internal/identity"
)

// openApp opens the configured database for a one-off task.
func openApp(ctx context.Context) (*app.App, error) {
	cfg, err := config.Load()
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, newLogger(cfg))
}

func runMigrate(ctx context.Context, args []string) error {
	force := len(args) == 2 && args[0] == "down" && args[1] == "--force"
	if force {
		args = args[:1]
	}
	if len(args) != 1 || (args[0] != "up" && args[0] != "status" && args[0] != "down") {
		fmt.Fprintln(os.Stderr, "Usage: muster migrate up|status|down [--force]\n\n  up      apply every pending migration\n  status  list migrations and whether each is applied\n  down    roll back the most recent migration; refused when that drops\n          tables or columns holding rows, unless --force (take a backup first)")
		envHelp(os.Stderr)
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errors.New("expected up, status or down")
	}
	a, err := openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := db.NewMigrator(a.DB)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("applied %d migration(s)\n", n)
	case "down":
		losses, err := m.DownLosses(ctx, a.DB)
		if err != nil {
			return err
		}
		if len(losses) > 0 && !force {
			names := make([]string, len(losses))
			for i, l := range losses {
				names[i] = l.String()
			}
			return fmt.Errorf("rolling back would drop data: %s; take a backup (muster backup --out FILE), then run muster migrate down --force", strings.Join(names, ", "))
		}
		return m.Down(ctx)
	case "status":
		sts, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range sts {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Printf("%05d  %-8s %s\n", s.Version, state, s.Name)
		}
	}
	return nil
}

func runSeed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "add demo agencies, users and courses (only to an empty database)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: muster seed --demo\n\nAdds demo agencies, people and courses to an empty database and prints the sign-ins.")
		fs.PrintDefaults()
		envHelp(fs.Output())
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo {
		fs.Usage()
		return errors.New("nothing to seed: pass --demo")
	}
	a, err := openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.EnsureMigrated(ctx, !db.IsPostgres(a.Config.DatabaseURL)); err != nil {
		return err
	}
	return seedDemo(ctx, a, true)
}

func runUser(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "pseudonymise" {
		return userPseudonymise(ctx, args[1:], os.Stdout)
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(os.Stderr, "Usage: muster user create --email E --name N --role admin [--agency ID] [--password-stdin]\n       muster user pseudonymise --id ID\n\nCreates a user, such as the first administrator, or pseudonymises a disabled one; run `muster user create -h` for the flags.")
		envHelp(os.Stderr)
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errors.New("expected create")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	roles := fs.String("role", "admin", "roles, comma-separated: admin, coordinator, instructor, hr, trainee")
	agency := fs.String("agency", "", "agency id; default the first agency, or a new one on an empty install")
	agencyName := fs.String("agency-name", "Platform administration", "name of the agency created on an empty install")
	country := fs.String("country", "", "ISO country code of the agency created on an empty install")
	stdin := fs.Bool("password-stdin", false, "read the user's own password from standard input (else a one-time password is printed)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: muster user create --email E --name N --role admin [--agency ID] [--password-stdin]")
		fs.PrintDefaults()
		envHelp(fs.Output())
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, err := openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.EnsureMigrated(ctx, !db.IsPostgres(a.Config.DatabaseURL)); err != nil {
		return err
	}
	in := identity.UserInput{Email: *email, FullName: *name, Roles: strings.Split(*roles, ","), AgencyID: *agency}
	if *stdin {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading password: %w", err)
		}
		in.Password = strings.TrimRight(line, "\r\n")
	}
	if in.AgencyID == "" {
		if in.AgencyID, err = firstAgency(ctx, a, *agencyName, *country); err != nil {
			return err
		}
	}
	cu, err := a.Identity.Bootstrap(ctx, in)
	if err != nil {
		return describe(err)
	}
	fmt.Printf("created %s (%s)\n", cu.Email, strings.Join(cu.RoleNames(), ","))
	if cu.InitialPassword != "" {
		fmt.Printf("one-time password: %s\n(it must be changed at first sign-in)\n", cu.InitialPassword)
	}
	return nil
}
