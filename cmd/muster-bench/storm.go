package main

import (
	"context"
	"fmt"
	"time"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/cohort"
	"muster/internal/config"
	"muster/internal/identity"
	"muster/internal/loadgen"
	"muster/internal/seed"
)

// storm is how the bench storms cohorts: how many runs, and how many
// requests each keeps in flight.
type storm struct {
	runs     int
	inFlight int
}

// run storms s.runs new cohorts of 40 seats (quotas 20 + 20) with 500
// trainees each, s.inFlight requests in flight over urls, checks every seat
// after each run and the audit chain at the end, and prints the figures.
func (s storm) run(ctx context.Context, dbURL string, urls []string) error {
	cfg, err := config.LoadFrom([]string{"DATABASE_URL=" + dbURL})
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, quietLogger())
	if err != nil {
		return err
	}
	defer a.Close()
	sys := access.System()
	var agencies []string
	for _, country := range []string{"IR", "TJ"} {
		ag, err := a.Identity.CreateAgency(ctx, sys, identity.AgencyInput{Name: "Storm agency " + country, ShortName: "STORM-" + country, Country: country, Kind: "police"})
		if err != nil {
			return err
		}
		agencies = append(agencies, ag.ID)
	}
	if _, err := a.Courses.BulkCourses(ctx, sys, agencies[:1], 1); err != nil {
		return err
	}
	course, lang, err := seed.LastGeneratedCourse(ctx, a.DB)
	if err != nil {
		return err
	}
	var total, overbooked int
	var took time.Duration
	var all loadgen.Report
	runs := s.runs
	for run := range runs {
		trainees, err := loadgen.NewTrainees(ctx, a.Identity, agencies, 250, fmt.Sprintf("storm%d", run))
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		opens, starts, closes := stormWindow(now)
		c, err := a.Cohorts.Create(ctx, sys, cohort.CohortInput{Code: fmt.Sprintf("STORM-%d", run+1), Course: course, HostAgencyID: agencies[0],
			Language: lang, TimeZone: "Asia/Dushanbe", StartsOn: starts.Format(cohort.DateLayout), EndsOn: starts.Format(cohort.DateLayout),
			Capacity: 40, EnrollmentOpensAt: opens.Format(time.RFC3339), EnrollmentClosesAt: closes.Format(time.RFC3339),
			Status: cohort.StatusOpen})
		if err != nil {
			return err
		}
		if _, err := a.Cohorts.SetQuotas(ctx, sys, c.ID, cohort.QuotasInput{Quotas: []cohort.QuotaInput{{AgencyID: agencies[0], Seats: 20}, {AgencyID: agencies[1], Seats: 20}}}); err != nil {
			return err
		}
		load := loadAverage()
		rep := loadgen.Storm(ctx, loadgen.StormPlan{URLs: urls, CohortID: c.ID, Trainees: loadgen.Interleave(trainees), InFlight: s.inFlight})
		verdict := "seats, quotas and queue right"
		if err := loadgen.CheckSeats(ctx, a.DB, c.ID, rep); err != nil {
			overbooked++
			verdict = "WRONG: " + err.Error()
		}
		fmt.Printf("  run %d: %d enrollments/s, p50 %.1f ms, p99 %.1f ms, outcomes %v; %s (load %s)\n", run+1,
			int(rep.Throughput()), ms(rep.Percentile(0.5)), ms(rep.Percentile(0.99)), rep.Outcomes(), verdict, load)
		total += len(rep.Results)
		took += rep.Took
		all.Results = append(all.Results, rep.Results...)
	}
	all.Took = took
	chain, err := a.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	state := "valid"
	if chain.Break != nil {
		state = "BROKEN: " + chain.Break.Error()
	}
	fmt.Printf("  all %d runs: %.0f enrollments/s, p50 %.1f ms, p99 %.1f ms; %d of %d runs wrong; audit chain %s\n", runs,
		float64(total)/took.Seconds(), ms(all.Percentile(0.5)), ms(all.Percentile(0.99)), overbooked, runs, state)
	if overbooked > 0 || chain.Break != nil {
		return fmt.Errorf("storm correctness failed")
	}
	return nil
}

// stormWindow is a storm cohort's enrollment window and first day: open
// since an hour ago, starting a month from now, closing at midnight UTC two
// days before that first day. Whole days keep the close after the opening
// at any time of day, whatever the cohort's zone makes of the start.
func stormWindow(now time.Time) (opens, starts, closes time.Time) {
	starts = now.AddDate(0, 1, 0)
	day := time.Date(starts.Year(), starts.Month(), starts.Day(), 0, 0, 0, 0, time.UTC)
	return now.Add(-time.Hour), starts, day.AddDate(0, 0, -2)
}
