package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"muster/internal/app"
	"muster/internal/db"
	"muster/internal/identity"
	"muster/internal/seed"
)

func runMigrate(ctx context.Context, args []string) error {
	force := len(args) == 2 && args[0] == "down" && args[1] == "--force"
	if force {
		args = args[:1]
	}
	if len(args) != 1 || (args[0] != "up" && args[0] != "status" && args[0] != "down") {
		return badSubcommand(args, "Usage: muster migrate up|status|down [--force]\n\n  up      apply every pending migration\n  status  list migrations and whether each is applied\n  down    roll back the most recent migration; refused when that drops\n          tables or columns holding rows, unless --force (take a backup first)", "expected up, status or down")
	}
	return withApp(ctx, anySchema, func(a *app.App) error { return migrate(ctx, a, args[0], force) })
}

// migrate applies, rolls back or lists the migrations.
func migrate(ctx context.Context, a *app.App, what string, force bool) error {
	m, err := db.NewMigrator(a.DB)
	if err != nil {
		return err
	}
	switch what {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("applied %d migration(s)\n", n)
		if err := a.ReindexCourses(ctx); err != nil {
			return err
		}
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
	scale := fs.Bool("scale", false, "add generated data in the numbers below, to any database (for measurements)")
	var n seed.Counts
	fs.IntVar(&n.Agencies, "agencies", 2, "with --scale: new agencies that own, host and staff the rest")
	fs.IntVar(&n.Courses, "courses", 10000, "with --scale: courses, in bulk (one in twenty a draft)")
	fs.IntVar(&n.People, "people", 1000, "with --scale: trainees, in bulk, shared over the agencies")
	fs.IntVar(&n.Cohorts, "cohorts", 100, "with --scale: open cohorts of 40 seats, through the cohort service")
	fs.IntVar(&n.Certificates, "certificates", 0, "with --scale: certificates, by completing past cohorts of 40 through the services")
	usage := `Usage: muster seed --demo
       muster seed --scale [--courses N] [--people N] [--cohorts N] [--certificates N] [--agencies N]

--demo adds demo agencies, people and courses to an empty database and prints the sign-ins.
--scale adds generated data to any database, so measurements can be reproduced: courses
and people in bulk SQL (every constraint applies; one audit event per batch), cohorts and
certificates through the services with every rule. Example, 100,000 courses:
  muster seed --scale --courses 100000 --people 10000 --cohorts 200 --certificates 2000`
	if err := parseFlags(fs, args, usage); err != nil {
		return err
	}
	if *demo == *scale {
		fs.Usage()
		return errors.New("pass either --demo or --scale")
	}
	for _, v := range []int{n.Agencies, n.Courses, n.People, n.Cohorts, n.Certificates} {
		if v < 0 {
			return errors.New("counts must not be negative")
		}
	}
	return withApp(ctx, migrateSQLite, func(a *app.App) error {
		if *demo {
			return seedDemo(ctx, a, true)
		}
		return seedScale(ctx, a, n)
	})
}

// seedScale adds generated data in the given numbers and says how long each part took.
func seedScale(ctx context.Context, a *app.App, n seed.Counts) error {
	res, err := seed.Scale(ctx, a.DB, a.Clock, a.Identity, a.Courses, n)
	if err != nil {
		return err
	}
	fmt.Printf("added %d agencies; %d courses in %v; %d people in %v; %d cohorts in %v; %d certificates in %v\n",
		len(res.Agencies), res.Courses, res.CoursesTook.Round(time.Millisecond), res.People, res.PeopleTook.Round(time.Millisecond),
		res.Cohorts, res.CohortsTook.Round(time.Millisecond), res.Certificates, res.CertificatesTook.Round(time.Millisecond))
	return nil
}

func runUser(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "pseudonymise" {
		return userPseudonymise(ctx, args[1:], os.Stdout)
	}
	if len(args) == 0 || args[0] != "create" {
		return badSubcommand(args, "Usage: muster user create --email E --name N --role admin [--agency ID] [--password-stdin]\n       muster user pseudonymise --id ID\n\nCreates a user, such as the first administrator, or pseudonymises a disabled one; run `muster user create -h` for the flags.", "expected create")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	roles := fs.String("role", "admin", "roles, comma-separated: admin, coordinator, instructor, hr, trainee")
	agency := fs.String("agency", "", "agency id; default the first agency, or a new one on an empty install")
	agencyName := fs.String("agency-name", "Platform administration", "name of the agency created on an empty install")
	country := fs.String("country", "", "ISO country code of the agency created on an empty install")
	stdin := fs.Bool("password-stdin", false, "read the user's own password from standard input (else a one-time password is printed)")
	if err := parseFlags(fs, args[1:], "Usage: muster user create --email E --name N --role admin [--agency ID] [--password-stdin]"); err != nil {
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
	return withApp(ctx, migrateSQLite, func(a *app.App) error {
		var err error
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
	})
}
