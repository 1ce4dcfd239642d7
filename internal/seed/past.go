package seed

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/roster"
)

// demoPastCohort runs a cohort that finished two months ago from start to
// end through the services, with a clock set back, so a newcomer finds
// issued certificates to open, download and verify.
func demoPastCohort(ctx context.Context, gdb *gorm.DB, now time.Time, agencies []identity.Agency, people map[string]string) (int, error) {
	clk := clock.NewFixed(now.AddDate(0, 0, -70))
	sys := access.System()
	// Records carry who took them: the host agency's coordinator.
	coordinator := access.Actor{UserID: people["coordinator@dca.example.tj"], Name: "Нигора Саидова", AgencyID: agencies[1].ID,
		Roles: []string{access.Coordinator}}
	cohorts := &cohort.Service{DB: gdb, Clock: clk}
	rost := &roster.Service{DB: gdb, Clock: clk}
	enroll := &enrollment.Service{DB: gdb, Clock: clk, RecertWindowDays: 90}
	records := &certify.Service{DB: gdb, Clock: clk, RecertWindowDays: 90, Enrollments: enroll, Cohorts: cohorts}
	cohorts.Seats = enroll

	starts := clk.Now().AddDate(0, 0, 7)
	day := func(d int) string { return starts.AddDate(0, 0, d).Format(cohort.DateLayout) }
	c, err := cohorts.Create(ctx, sys, cohort.CohortInput{Code: "OC101-DYU-SPRING", Course: "OC-101", HostAgencyID: agencies[1].ID,
		Language: "ru", TimeZone: "Asia/Dushanbe", StartsOn: day(0), EndsOn: day(1), Capacity: 12,
		EnrollmentOpensAt: clk.Now().Add(-time.Hour).Format(time.RFC3339), EnrollmentClosesAt: day(-2) + "T17:00", Status: cohort.StatusOpen})
	if err != nil {
		return 0, fmt.Errorf("past cohort: %w", err)
	}
	var sessions []string
	for i, slot := range [][2]string{{day(0) + "T09:00", day(0) + "T12:00"}, {day(0) + "T13:30", day(0) + "T16:30"}, {day(1) + "T09:00", day(1) + "T12:00"}} {
		ses, err := cohorts.AddSession(ctx, sys, c.ID, cohort.SessionInput{StartsAt: slot[0], EndsAt: slot[1],
			Topic: []string{"Структура преступных групп", "Расследование дел", "Итоговая аттестация"}[i]})
		if err != nil {
			return 0, err
		}
		if _, err := rost.Assign(ctx, sys, ses.ID, roster.AssignInput{InstructorID: people["instructor@dca.example.tj"], Role: roster.RoleLead}); err != nil {
			return 0, err
		}
		sessions = append(sessions, ses.ID)
	}
	// Two trainees of each agency; one misses too much to pass.
	trainees := []string{"trainee@anp.example.ir", "trainee2@anp.example.ir", "trainee@dca.example.tj", "trainee2@dca.example.tj"}
	enrollments := map[string]string{}
	for _, email := range trainees {
		row, err := enroll.Enroll(ctx, sys, c.ID, enrollment.Request{UserID: people[email]})
		if err != nil {
			return 0, fmt.Errorf("enroll %s: %w", email, err)
		}
		enrollments[email] = row.ID
	}
	clk.Set(starts.Add(2 * time.Hour))
	inProgress := cohort.StatusInProgress
	if _, err := cohorts.Update(ctx, sys, c.ID, cohort.CohortPatch{Status: &inProgress}); err != nil {
		return 0, err
	}
	for i, ses := range sessions {
		var in certify.AttendanceInput
		for _, email := range trainees {
			status := certify.AttendancePresent
			if email == "trainee2@dca.example.tj" && i > 0 {
				status = certify.AttendanceAbsent
			}
			in.Records = append(in.Records, certify.AttendanceRecord{EnrollmentID: enrollments[email], Status: status})
		}
		if _, err := records.RecordAttendance(ctx, coordinator, ses, in); err != nil {
			return 0, fmt.Errorf("attendance: %w", err)
		}
	}
	for i, email := range trainees {
		score := 78 + 4*i
		if _, err := records.RecordResult(ctx, coordinator, enrollments[email], certify.ResultInput{Score: &score}); err != nil {
			return 0, fmt.Errorf("result: %w", err)
		}
	}
	clk.Set(starts.AddDate(0, 0, 2))
	plan, err := records.Complete(ctx, coordinator, c.ID)
	if err != nil {
		return 0, fmt.Errorf("complete: %w", err)
	}
	return plan.Passing, nil
}
