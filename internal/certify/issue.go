package certify

import (
	"context"
	"errors"
	"muster/internal/db"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/cohort"
)

// apply carries out a completion plan inside the completing transaction:
// enrollment judges its rows and ends the waiting ones, cohort marks itself
// completed, and certify issues the certificates.
func (s *Service) apply(ctx context.Context, tx *gorm.DB, actor access.Actor, c *cohort.Cohort, p *Plan, day time.Time) error {
	if s.Enrollments == nil || s.Cohorts == nil {
		return errNotWired
	}
	now := db.Now(tx, s.Clock)
	var passed, failed []string
	for _, o := range p.Outcomes {
		if o.Result == enrollmentCompleted {
			passed = append(passed, o.EnrollmentID)
		} else {
			failed = append(failed, o.EnrollmentID)
		}
	}
	if err := s.Enrollments.CohortCompleted(ctx, tx, actor, c.ID, passed, failed); err != nil {
		return err
	}
	if err := s.Cohorts.Completed(ctx, tx, actor, c.ID, now); err != nil {
		return err
	}
	numbers, err := s.issue(tx, actor, p, day, now)
	if err != nil {
		return err
	}
	p.Completed, p.Completable, p.Refusal = true, false, CodeAlreadyCompleted
	p.Cohort.Status = cohort.StatusCompleted
	outcomes := map[string]any{}
	for _, o := range p.Outcomes {
		outcomes[o.EnrollmentID] = map[string]any{"result": o.Result, "reasons": o.Reasons, "attended": o.Attended, "score": o.Score}
	}
	return audit.Record(tx, now, actor, audit.Entry{Action: "cohort.complete", SubjectType: "cohort", SubjectID: c.ID, AgencyID: c.HostAgencyID,
		Details: map[string]any{"sessions": p.Sessions, "completed": len(passed), "failed": len(failed), "cancelled": len(p.Cancelled),
			"certificates": numbers, "outcomes": outcomes}})
}

// issue numbers and stores a certificate for each trainee who completed,
// with one audit event each, and notes the numbers in the plan.
func (s *Service) issue(tx *gorm.DB, actor access.Actor, p *Plan, day, now time.Time) ([]string, error) {
	var holders []int
	for i, o := range p.Outcomes {
		if o.Result == enrollmentCompleted {
			holders = append(holders, i)
		}
	}
	if len(holders) == 0 {
		return []string{}, nil
	}
	first, err := reserveNumbers(tx, day.Year(), len(holders))
	if err != nil {
		return nil, err
	}
	certs := make([]Certificate, len(holders))
	numbers := make([]string, len(holders))
	for k, i := range holders {
		o := &p.Outcomes[i]
		seq := first + k
		certs[k] = Certificate{
			ID: uuid.Must(uuid.NewV7()).String(), Number: FormatNumber(s.prefix(), day.Year(), seq), Year: day.Year(), Seq: seq,
			VerificationCode: newVerificationCode(), UserID: o.UserID, CourseID: p.Cohort.CourseID, CohortID: p.Cohort.ID,
			EnrollmentID: o.EnrollmentID, HostAgencyID: p.Cohort.HostAgencyID, HolderName: o.Name, HolderNameLatin: o.NameLatin,
			Hours: p.Cohort.DurationHours, IssuedOn: day, ExpiresOn: ExpiresOn(day, p.Cohort.ValidityMonths), RenewsID: o.renewsID,
			CreatedAt: now,
		}
		o.Certificate, numbers[k] = certs[k].Number, certs[k].Number
	}
	if err := tx.Create(&certs).Error; err != nil {
		return nil, err
	}
	for k, i := range holders {
		c, o := certs[k], p.Outcomes[i]
		details := map[string]any{"number": c.Number, "enrollment_id": c.EnrollmentID, "cohort_id": c.CohortID}
		if o.Renews != "" {
			details["renews"] = o.Renews
		}
		if err := audit.Record(tx, now, actor, audit.Entry{Action: "certificate.issue", SubjectType: "certificate", SubjectID: c.ID,
			AgencyID: o.AgencyID, Details: details}); err != nil {
			return nil, err
		}
		if s.Announcer != nil {
			if err := s.Announcer.CertificateIssued(tx, c, o.AgencyID); err != nil {
				return nil, err
			}
		}
	}
	return numbers, nil
}

// errNotWired is a programming error: the service was built without the
// capabilities completion changes through (see internal/app).
var errNotWired = errors.New("certify: completion needs the enrollment and cohort services")
