package enrollment

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db"
)

// liveStatuses hold or wait for a seat; a person has at most one per cohort.
var liveStatuses = []string{StatusPending, StatusEnrolled, StatusWaitlisted}

// CourseRef names a course in a refusal.
type CourseRef struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// person is whom a request is for.
type person struct {
	ID       string
	AgencyID string
}

// facts are what the eligibility and seat rules read about one person and
// one cohort. Read with the cohort's row locked, they cannot change until
// the transaction ends.
type facts struct {
	cohort  *cohort.Cohort
	quotas  []cohort.Quota
	live    *Enrollment
	missing []CourseRef
	cert    *certify.Held // a valid certificate that makes a new request premature
}

// loadFacts reads the facts for p's request in cohortID, the person's
// first, then the cohort's (its row locked when lock is set).
func (s *Service) loadFacts(tx *gorm.DB, actor access.Actor, cohortID string, p person, lock bool) (*facts, error) {
	f, err := s.personFacts(tx, cohortID, p)
	if err != nil {
		return nil, err
	}
	return f, f.readCohort(tx, actor, cohortID, lock)
}

// personFacts reads the person's own records: their certificates and
// completed courses, and any live request in the cohort. A request reads
// them before it locks the cohort's row, so the lock is held as briefly as
// possible; a live request that races past this read is stopped by the
// unique index on live requests when it is stored.
func (s *Service) personFacts(tx *gorm.DB, cohortID string, p person) (*facts, error) {
	if !validID(cohortID) {
		return nil, apperr.NotFound()
	}
	f := &facts{}
	var err error
	if f.missing, err = s.missingPrerequisites(tx, cohortID, p.ID); err != nil {
		return nil, err
	}
	if f.cert, err = s.validCertificate(tx, cohortID, p.ID); err != nil {
		return nil, err
	}
	var live []Enrollment
	if err := tx.Where("cohort_id = ? AND user_id = ? AND status IN ?", cohortID, p.ID, liveStatuses).Limit(1).Find(&live).Error; err != nil {
		return nil, err
	}
	if len(live) > 0 {
		f.live = &live[0]
	}
	return f, nil
}

// readCohort reads the cohort and its quotas, the row locked when asked.
func (f *facts) readCohort(tx *gorm.DB, actor access.Actor, cohortID string, lock bool) error {
	var err error
	if f.cohort, err = loadCohort(tx, actor, cohortID, lock); err != nil {
		return err
	}
	return tx.Where("cohort_id = ?", cohortID).Order("agency_id").Find(&f.quotas).Error
}

// loadCohort reads a cohort the actor may see, its row locked when asked:
// every change to a cohort's seats and queue takes this lock first.
func loadCohort(tx *gorm.DB, actor access.Actor, id string, lock bool) (*cohort.Cohort, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	q := tx
	if lock {
		q = db.ForUpdate(tx)
	}
	var c cohort.Cohort
	err := q.Where("id = ?", id).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if !cohort.CanSee(actor, &c) {
		return nil, apperr.NotFound()
	}
	return &c, nil
}

// missingPrerequisites lists the prerequisites of the cohort's course that
// userID holds neither as a valid certificate nor as a completed enrollment
// (whose certificate, if it has one, is neither revoked nor expired).
func (s *Service) missingPrerequisites(tx *gorm.DB, cohortID, userID string) ([]CourseRef, error) {
	today := s.today()
	var out []CourseRef
	err := tx.Raw(`SELECT p.code, p.title FROM cohorts c
		JOIN course_prerequisites cp ON cp.course_id = c.course_id
		JOIN courses p ON p.id = cp.prerequisite_id
		WHERE c.id = ?
		AND NOT EXISTS (SELECT 1 FROM certificates ct WHERE ct.user_id = ? AND ct.course_id = p.id AND `+certify.ValidSQL("ct")+`)
		AND NOT EXISTS (SELECT 1 FROM enrollments e JOIN cohorts pc ON pc.id = e.cohort_id
			WHERE e.user_id = ? AND e.status = ? AND pc.course_id = p.id
			AND NOT EXISTS (SELECT 1 FROM certificates x WHERE x.enrollment_id = e.id AND `+certify.InvalidSQL("x")+`))
		ORDER BY p.code`, cohortID, userID, today, userID, StatusCompleted, today).Scan(&out).Error
	return out, err
}

// validCertificate returns userID's certificate for the cohort's course
// that is valid beyond the recertification window, if any.
func (s *Service) validCertificate(tx *gorm.DB, cohortID, userID string) (*certify.Held, error) {
	var course []string
	if err := tx.Model(&cohort.Cohort{}).Where("id = ?", cohortID).Limit(1).Pluck("course_id", &course).Error; err != nil || len(course) == 0 {
		return nil, err
	}
	return certify.ValidCertificate(tx, userID, course[0], s.today().AddDate(0, 0, s.recertWindow()))
}

// refusal applies the eligibility rules in their documented order and
// returns the first one broken, or nil.
func (s *Service) refusal(f *facts, p person) error {
	if err := s.notOpen(f.cohort); err != nil {
		return err
	}
	if len(f.quotas) > 0 && f.quota(p.AgencyID) == nil {
		return apperr.New(CodeAgencyNotParticipating)
	}
	if f.live != nil {
		e := apperr.New(CodeAlreadyEnrolled).WithArgs("Status", f.live.Status)
		e.Details = map[string]any{"enrollment_id": f.live.ID, "status": f.live.Status}
		return e
	}
	if len(f.missing) > 0 {
		codes := make([]string, len(f.missing))
		for i, m := range f.missing {
			codes[i] = m.Code
		}
		e := apperr.New(CodePrerequisitesMissing).WithArgs("Codes", strings.Join(codes, ", "), "Count", len(codes))
		e.Details = map[string]any{"missing": f.missing}
		return e
	}
	if f.cert != nil {
		return s.certified(f.cert)
	}
	return nil
}

// addressed words a refusal for whoever asked: a coordinator nominating
// someone reads about that person, not about "you".
func addressed(err error, actor access.Actor, p person, name string) error {
	if e, ok := apperr.As(err); ok && e.Code == CodePrerequisitesMissing && actor.UserID != p.ID {
		e.Key = KeyPrerequisitesOther
		e.WithArgs("Name", name)
	}
	return err
}

// notOpen refuses a request outside the cohort's enrollment: not open, the
// window not yet open or already closed, or the cohort already started.
func (s *Service) notOpen(c *cohort.Cohort) error {
	now := clock.Now(s.Clock)
	loc := cohort.ZoneOf(c.TimeZone)
	var e *apperr.Error
	switch {
	case c.Status != cohort.StatusOpen:
		e = &apperr.Error{Code: CodeCohortNotOpen, Key: KeyNotOpenStatus}
		e.WithArgs("Status", c.Status)
	case now.Before(c.EnrollmentOpensAt):
		e = &apperr.Error{Code: CodeCohortNotOpen, Key: KeyNotOpenBefore}
		e.WithArgs("Opens", cohort.FormatLocal(c.EnrollmentOpensAt, loc), "Zone", loc.String())
	case !now.Before(c.EnrollmentClosesAt):
		e = &apperr.Error{Code: CodeCohortNotOpen, Key: KeyNotOpenAfter}
		e.WithArgs("Closed", cohort.FormatLocal(c.EnrollmentClosesAt, loc), "Zone", loc.String())
	case s.started(c):
		e = &apperr.Error{Code: CodeCohortNotOpen, Key: KeyNotOpenStarted}
		e.WithArgs("Starts", c.StartsOn.UTC().Format(cohort.DateLayout))
	default:
		return nil
	}
	e.Details = map[string]any{"status": c.Status, "enrollment_opens_at": c.EnrollmentOpensAt.UTC(),
		"enrollment_closes_at": c.EnrollmentClosesAt.UTC(), "starts_on": c.StartsOn.UTC().Format(cohort.DateLayout)}
	return e
}

// certified refuses a holder of a valid certificate, saying from when they
// may enroll again.
func (s *Service) certified(c *certify.Held) error {
	e := apperr.New(CodeAlreadyCertified).WithArgs("Number", c.Number)
	e.Details = map[string]any{"certificate": c.Number}
	if c.ExpiresOn != nil {
		exp := c.ExpiresOn.UTC()
		from := exp.AddDate(0, 0, -s.recertWindow())
		e.Key = "enrollment.certified_until"
		e.WithArgs("Expires", exp.Format(cohort.DateLayout), "From", from.Format(cohort.DateLayout))
		e.Details["expires_on"] = exp.Format(cohort.DateLayout)
		e.Details["renewable_from"] = from.Format(cohort.DateLayout)
	}
	return e
}

// started reports whether the cohort's first day has come in its own time zone.
func (s *Service) started(c *cohort.Cohort) bool {
	today := cohort.LocalDay(clock.Now(s.Clock), cohort.ZoneOf(c.TimeZone))
	return !today.Before(dateOf(c.StartsOn))
}

// dateOf is the calendar day of a stored date, as midnight UTC.
func dateOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// quota returns the agency's quota, or nil.
func (f *facts) quota(agencyID string) *cohort.Quota {
	for i := range f.quotas {
		if f.quotas[i].AgencyID == agencyID {
			return &f.quotas[i]
		}
	}
	return nil
}

// placement is the status an approved request gets: a seat when both the
// cohort and the agency's quota (if the cohort has quotas) have room, else
// the waitlist. A request still to be approved is pending.
func (f *facts) placement(agencyID string, approved bool) string {
	if !approved {
		return StatusPending
	}
	if f.cohort.SeatsTaken >= f.cohort.Capacity {
		return StatusWaitlisted
	}
	if len(f.quotas) > 0 {
		if q := f.quota(agencyID); q == nil || q.SeatsTaken >= q.Seats {
			return StatusWaitlisted
		}
	}
	return StatusEnrolled
}
