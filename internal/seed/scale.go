package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// Counts are what `muster seed --scale` adds.
type Counts struct {
	Agencies     int // new partner agencies that host, own and staff the rest (at least 1)
	Courses      int // generated courses, in bulk
	People       int // trainees, in bulk, shared out over the agencies
	Cohorts      int // open cohorts of the generated courses, through the cohort service
	Certificates int // issued by completing past cohorts through the services, 40 trainees each
}

// ScaleResult says what Scale made.
type ScaleResult struct {
	Agencies                                               []string
	Courses, People, Cohorts, Certificates                 int
	CoursesTook, PeopleTook, CohortsTook, CertificatesTook time.Duration
}

// Scale adds data in the numbers given, to any database, empty or not:
// courses and people in bulk (one statement per thousand rows, one audit
// event per batch, every constraint of the schema applying), cohorts and
// certificates through the services with every rule and audit event.
func Scale(ctx context.Context, gdb *gorm.DB, clk clock.Clock, ids *identity.Service, courses *catalog.Service, n Counts) (*ScaleResult, error) {
	sys := access.System()
	key := randomKey()
	res := &ScaleResult{}
	for i := range max(n.Agencies, 1) {
		ag, err := ids.CreateAgency(ctx, sys, identity.AgencyInput{Name: fmt.Sprintf("Scale agency %s %d", key, i+1),
			ShortName: fmt.Sprintf("S%s%d", key[:4], i+1), Country: []string{"IR", "TJ", "AF", "UZ"}[i%4], Kind: "police"})
		if err != nil {
			return nil, fmt.Errorf("agency: %w", err)
		}
		res.Agencies = append(res.Agencies, ag.ID)
	}
	began := time.Now()
	made, err := courses.BulkCourses(ctx, sys, res.Agencies, n.Courses)
	if err != nil {
		return nil, fmt.Errorf("courses: %w", err)
	}
	res.Courses, res.CoursesTook = made, time.Since(began)

	began = time.Now()
	for i, ag := range res.Agencies {
		share := n.People / len(res.Agencies)
		if i < n.People%len(res.Agencies) {
			share++
		}
		people, err := ids.BulkTrainees(ctx, sys, ag, key, share, time.Time{})
		if err != nil {
			return nil, fmt.Errorf("people: %w", err)
		}
		res.People += len(people)
	}
	res.PeopleTook = time.Since(began)

	if n.Cohorts > 0 || n.Certificates > 0 {
		// Cohorts need a published course of their own: one per run.
		if _, err := courses.BulkCourses(ctx, sys, res.Agencies[:1], 1); err != nil {
			return nil, err
		}
	}
	began = time.Now()
	if err := scaleCohorts(ctx, gdb, clk, res, key, n.Cohorts); err != nil {
		return nil, fmt.Errorf("cohorts: %w", err)
	}
	res.CohortsTook = time.Since(began)
	began = time.Now()
	if err := scaleCertificates(ctx, gdb, clk, ids, res, key, n.Certificates); err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	res.CertificatesTook = time.Since(began)
	return res, nil
}

// LastGeneratedCourse is the newest generated published course and one of
// its languages, for its cohorts to be taught in.
func LastGeneratedCourse(ctx context.Context, gdb *gorm.DB) (code, lang string, err error) {
	var r struct{ Code, Language string }
	err = gdb.WithContext(ctx).Table("courses c").Select("c.code, min(cl.language) AS language").
		Joins("JOIN course_languages cl ON cl.course_id = c.id").
		Where("c.code LIKE ? AND c.status = ?", "X%", catalog.StatusPublished).
		Group("c.code").Order("c.code DESC").Limit(1).Scan(&r).Error
	return r.Code, r.Language, err
}

// scaleCohorts opens n cohorts of 40 seats, a month ahead, hosted in turn.
func scaleCohorts(ctx context.Context, gdb *gorm.DB, clk clock.Clock, res *ScaleResult, key string, n int) error {
	if n <= 0 {
		return nil
	}
	course, lang, err := LastGeneratedCourse(ctx, gdb)
	if err != nil {
		return err
	}
	svc := &cohort.Service{DB: gdb, Clock: clk}
	now := clk.Now().UTC()
	for i := range n {
		starts := now.AddDate(0, 1, i%60)
		_, err := svc.Create(ctx, access.System(), cohort.CohortInput{Code: fmt.Sprintf("SC-%s-%d", key, i+1), Course: course,
			HostAgencyID: res.Agencies[i%len(res.Agencies)], Language: lang, TimeZone: "Asia/Dushanbe",
			StartsOn: starts.Format(cohort.DateLayout), EndsOn: starts.AddDate(0, 0, 4).Format(cohort.DateLayout), Capacity: 40,
			EnrollmentOpensAt: now.Add(-time.Hour).Format(time.RFC3339), EnrollmentClosesAt: starts.AddDate(0, 0, -1).Format(time.RFC3339),
			Status: cohort.StatusOpen})
		if err != nil {
			return err
		}
		res.Cohorts++
	}
	return nil
}

// scaleCertificates runs past cohorts of up to 40 new trainees each from
// enrollment to completion, through the services and with a clock set two
// months back, until n certificates are issued.
func scaleCertificates(ctx context.Context, gdb *gorm.DB, now clock.Clock, ids *identity.Service, res *ScaleResult, key string, n int) error {
	if n <= 0 {
		return nil
	}
	course, lang, err := LastGeneratedCourse(ctx, gdb)
	if err != nil {
		return err
	}
	clk := clock.NewFixed(now.Now().AddDate(0, -2, 0))
	sys := access.System()
	cohorts := &cohort.Service{DB: gdb, Clock: clk}
	enroll := &enrollment.Service{DB: gdb, Clock: clk, RecertWindowDays: 90}
	records := &certify.Service{DB: gdb, Clock: clk, RecertWindowDays: 90, Enrollments: enroll, Cohorts: cohorts}
	cohorts.Seats = enroll
	for run := 0; res.Certificates < n; run++ {
		size := min(40, n-res.Certificates)
		host := res.Agencies[run%len(res.Agencies)]
		people, err := ids.BulkTrainees(ctx, sys, host, fmt.Sprintf("%sc%d", key, run), size, time.Time{})
		if err != nil {
			return err
		}
		base := now.Now().AddDate(0, -2, 0)
		clk.Set(base)
		starts := base.AddDate(0, 0, 7)
		c, err := cohorts.Create(ctx, sys, cohort.CohortInput{Code: fmt.Sprintf("SP-%s-%d", key, run+1), Course: course, HostAgencyID: host,
			Language: lang, TimeZone: "Asia/Tehran", StartsOn: starts.Format(cohort.DateLayout), EndsOn: starts.Format(cohort.DateLayout),
			Capacity: 40, EnrollmentOpensAt: base.Add(-time.Hour).Format(time.RFC3339),
			EnrollmentClosesAt: starts.AddDate(0, 0, -1).Format(time.RFC3339), Status: cohort.StatusOpen})
		if err != nil {
			return err
		}
		for _, p := range people {
			if _, err := enroll.Enroll(ctx, sys, c.ID, enrollment.Request{UserID: p.ID}); err != nil {
				return err
			}
		}
		clk.Set(starts.Add(2 * time.Hour))
		inProgress := cohort.StatusInProgress
		if _, err := cohorts.Update(ctx, sys, c.ID, cohort.CohortPatch{Status: &inProgress}); err != nil {
			return err
		}
		clk.Set(starts.AddDate(0, 0, 1))
		plan, err := records.Complete(ctx, sys, c.ID)
		if err != nil {
			return err
		}
		res.Certificates += plan.Passing
		if plan.Passing == 0 {
			return fmt.Errorf("cohort %s issued no certificates", c.Code)
		}
	}
	return nil
}

func randomKey() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
