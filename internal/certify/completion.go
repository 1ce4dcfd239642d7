package certify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db"
)

// Plan is what completing a cohort does, or did: who completes, who fails
// and why, whose pending or waitlisted requests end, and the certificates.
type Plan struct {
	Cohort      CohortInfo `json:"cohort"`
	Sessions    int        `json:"sessions"`
	Completable bool       `json:"completable"`
	Refusal     string     `json:"refusal,omitempty"` // the rule code when not completable
	Completed   bool       `json:"completed"`         // done: outcomes and certificates are final
	Outcomes    []Outcome  `json:"outcomes"`
	Cancelled   []Person   `json:"cancelled"`
	Passing     int        `json:"passing"`
	Failing     int        `json:"failing"`
}

// Outcome is one seated trainee's result of a completion.
type Outcome struct {
	EnrollmentID      string   `json:"enrollment_id"`
	UserID            string   `json:"user_id"`
	AgencyID          string   `json:"-"`
	Name              string   `json:"name"`
	NameLatin         string   `json:"name_latin,omitempty"`
	Agency            string   `json:"agency"`
	Attended          int      `json:"attended"`
	AttendancePercent *int     `json:"attendance_percent"`
	Score             *int     `json:"score"`
	Result            string   `json:"result"` // completed or failed
	Reasons           []string `json:"reasons"`
	Renews            string   `json:"renews,omitempty"`      // number of the certificate renewed
	Certificate       string   `json:"certificate,omitempty"` // number issued
	renewsID          *string
}

// rollRow is a seated trainee as the completion query reads them.
type rollRow struct {
	EnrollmentID, UserID, AgencyID, Name, NameLatin, Agency, Status, Certificate, Renews string
	Score                                                                                *int
	Attended                                                                             int
}

// Person is a trainee whose request ends with the cohort.
type Person struct {
	EnrollmentID string `json:"enrollment_id"`
	Name         string `json:"name"`
	Agency       string `json:"agency"`
	Status       string `json:"status"`
}

// Preview shows the host's coordinators (and admins) what completing the
// cohort would do, changing nothing; for a completed cohort, what it did.
func (s *Service) Preview(ctx context.Context, actor access.Actor, cohortID string) (*Plan, error) {
	tx := s.db(ctx)
	c, err := hostedCohort(tx, actor, cohortID, false)
	if err != nil {
		return nil, err
	}
	return s.plan(tx, c, s.today())
}

// Complete completes a cohort in one transaction: each seated trainee is
// completed or failed by the course's standard, pending and waitlisted
// requests are cancelled, certificates are issued to those who completed, and
// the cohort becomes completed. A second completion is refused.
func (s *Service) Complete(ctx context.Context, actor access.Actor, cohortID string) (*Plan, error) {
	var p *Plan
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := hostedCohort(tx, actor, cohortID, true)
		if err != nil {
			return err
		}
		day := s.today()
		switch {
		case c.Status == cohort.StatusCompleted:
			return apperr.New(CodeAlreadyCompleted)
		case !Completable(c.Status, c.StartsOn, day):
			return apperr.New(CodeNotCompletable).WithArgs("Status", c.Status)
		}
		if p, err = s.plan(tx, c, day); err != nil {
			return err
		}
		return s.apply(ctx, tx, actor, c, p, day)
	})
	return p, err
}

// plan judges every seated trainee of c on day.
func (s *Service) plan(tx *gorm.DB, c *cohort.Cohort, day time.Time) (*Plan, error) {
	info, err := cohortInfo(tx, c.ID)
	if err != nil {
		return nil, err
	}
	p := &Plan{Cohort: *info, Completed: c.Status == cohort.StatusCompleted, Outcomes: []Outcome{}, Cancelled: []Person{}}
	p.Completable = !p.Completed && Completable(c.Status, c.StartsOn, day)
	switch {
	case p.Completed:
		p.Refusal = CodeAlreadyCompleted
	case !p.Completable:
		p.Refusal = CodeNotCompletable
	}
	if p.Sessions, err = countSessions(tx, c.ID); err != nil {
		return nil, err
	}
	statuses := []string{enrollmentEnrolled}
	if p.Completed {
		statuses = []string{enrollmentCompleted, enrollmentFailed}
	}
	var rows []rollRow
	err = tx.Table("enrollments e").
		Select(`e.id AS enrollment_id, e.user_id, e.agency_id, u.full_name AS name, u.full_name_latin AS name_latin,
			ag.short_name AS agency, e.status, e.score, COALESCE(ce.number, '') AS certificate, COALESCE(rn.number, '') AS renews,
			(SELECT COUNT(*) FROM attendance a JOIN cohort_sessions cs ON cs.id = a.session_id
			  WHERE a.enrollment_id = e.id AND cs.cohort_id = e.cohort_id AND a.status IN ('present', 'late')) AS attended`).
		Joins("JOIN users u ON u.id = e.user_id").
		Joins("JOIN agencies ag ON ag.id = e.agency_id").
		Joins("LEFT JOIN certificates ce ON ce.enrollment_id = e.id").
		Joins("LEFT JOIN certificates rn ON rn.id = ce.renews_id").
		Where("e.cohort_id = ? AND e.status IN ?", c.ID, statuses).
		Order("u.full_name, e.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		o := Outcome{EnrollmentID: r.EnrollmentID, UserID: r.UserID, AgencyID: r.AgencyID, Name: r.Name, NameLatin: r.NameLatin,
			Agency: r.Agency, Attended: r.Attended, Score: r.Score}
		rec := Record{Sessions: p.Sessions, Attended: o.Attended, Score: o.Score}
		o.AttendancePercent = rec.AttendancePercent()
		passed, reasons := Judge(info.Standard(), rec)
		o.Result, o.Reasons = enrollmentFailed, reasons
		if passed {
			o.Result, o.Reasons = enrollmentCompleted, []string{}
		}
		if p.Completed {
			o.Result, o.Certificate, o.Renews = r.Status, r.Certificate, r.Renews
		}
		p.Outcomes = append(p.Outcomes, o)
	}
	if !p.Completed {
		if err := s.findRenewals(tx, info.CourseID, day, p.Outcomes); err != nil {
			return nil, err
		}
		err = tx.Table("enrollments e").Select("e.id AS enrollment_id, u.full_name AS name, ag.short_name AS agency, e.status").
			Joins("JOIN users u ON u.id = e.user_id").Joins("JOIN agencies ag ON ag.id = e.agency_id").
			Where("e.cohort_id = ? AND e.status IN ?", c.ID, []string{enrollmentPending, enrollmentWaitlisted}).
			Order("e.queue_no").Scan(&p.Cancelled).Error
		if err != nil {
			return nil, err
		}
	}
	for _, o := range p.Outcomes {
		if o.Result == enrollmentCompleted {
			p.Passing++
		} else {
			p.Failing++
		}
	}
	return p, nil
}

// findRenewals points each passing trainee at the certificate of the same
// course they renew: their latest unrevoked one that has expired or expires
// within the recertification window.
func (s *Service) findRenewals(tx *gorm.DB, courseID string, day time.Time, outcomes []Outcome) error {
	users := []string{}
	for _, o := range outcomes {
		if o.Result == enrollmentCompleted {
			users = append(users, o.UserID)
		}
	}
	if len(users) == 0 {
		return nil
	}
	var certs []Certificate
	err := tx.Where("course_id = ? AND user_id IN ? AND "+ExpiredSQL("certificates"), courseID, users, day.AddDate(0, 0, s.RecertWindowDays)).
		Order("issued_on DESC, year DESC, seq DESC").Find(&certs).Error
	if err != nil {
		return err
	}
	latest := map[string]Certificate{}
	for _, c := range certs {
		if _, seen := latest[c.UserID]; !seen {
			latest[c.UserID] = c
		}
	}
	for i := range outcomes {
		if c, ok := latest[outcomes[i].UserID]; ok && outcomes[i].Result == enrollmentCompleted {
			outcomes[i].Renews, outcomes[i].renewsID = c.Number, &c.ID
		}
	}
	return nil
}
